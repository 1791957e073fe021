// clicks_total per calendar month (UTC), keyed yyyymm.
MATCH (k:Click)
USING INDEX k:Click(member_id, at, bot, visitor_hash, code)
WHERE k.member_id IS NOT NULL AND k.at >= $from AND k.at < $to AND k.bot = false AND k.visitor_hash IS NOT NULL
  AND k.code IS NOT NULL
WITH k.at.year * 100 + k.at.month AS key, k
RETURN key, count(k) AS clicks, count(DISTINCT k.visitor_hash) AS visitors, count(DISTINCT k.member_id) AS sharers
