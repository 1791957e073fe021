// clicks_total per campaign or channel of the clicked code: $group_of maps a code to it
// (codes without one are keyed null).
MATCH (k:Click)
USING INDEX k:Click(member_id, at, bot, visitor_hash, code)
WHERE k.member_id IS NOT NULL AND k.at >= $from AND k.at < $to AND k.bot = false AND k.visitor_hash IS NOT NULL
  AND k.code IS NOT NULL
WITH $group_of[k.code] AS key, k
RETURN key, count(k) AS clicks, count(DISTINCT k.visitor_hash) AS visitors, count(DISTINCT k.member_id) AS sharers
