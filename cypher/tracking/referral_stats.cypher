// A member's referral figures over [from, to): clicks on their codes (bots left out) and
// unique visitors; friends who joined under them (and how many are held), how many of those bought (a paid order
// to them) and what those friends sold, per currency; and what the member earned in the
// complete commission runs whose periods fall inside, per currency.
WITH COLLECT { MATCH (i:Import {status: 'writing'}) RETURN i.id } AS unpublished
MATCH (m:Member {id: $member_id})
CALL (m) {
  // From click_stats alone: a member with 100k clicks in the period, 100 ms, not 290.
  MATCH (k:Click)
  USING INDEX k:Click(member_id, at, bot, visitor_hash, code)
  WHERE k.member_id = m.id AND k.at >= $from AND k.at < $to AND k.bot = false AND k.visitor_hash IS NOT NULL
    AND k.code IS NOT NULL
  RETURN count(k) AS clicks, count(DISTINCT k.visitor_hash) AS visitors
}
CALL (m) {
  MATCH (m)-[r:REFERRED]->(f:Member)
  WHERE f.joined_at >= $from AND f.joined_at < $to
  RETURN collect(f) AS friends, count(CASE WHEN r.via = 'click' THEN 1 END) AS by_click,
         count(CASE WHEN r.status = 'held' THEN 1 END) AS held
}
CALL (friends, unpublished) {
  UNWIND friends AS f
  RETURN count(CASE WHEN EXISTS {
    MATCH (o:Order {status: 'paid'})-[:BOUGHT_BY]->(f)
    WHERE NOT coalesce(o.import_id, '') IN unpublished
  } THEN 1 END) AS buyers
}
CALL (friends, unpublished) {
  UNWIND friends AS f
  MATCH (f)-[:SOLD]->(o:Order {status: 'paid'})
  WHERE o.at >= $from AND o.at < $to AND NOT coalesce(o.import_id, '') IN unpublished
  WITH o.currency AS currency, sum(o.amount_minor) AS amount
  ORDER BY currency
  RETURN collect({currency: currency, amount: amount}) AS sales
}
CALL (m) {
  MATCH (r:CommissionRun)
  WHERE r.from >= $from AND r.to <= $to AND r.status = 'complete'
  MATCH (s:Statement)
  WHERE s.run_id = r.id AND s.beneficiary_id = m.id AND s.currency IS NOT NULL
  WITH s.currency AS currency, sum(s.total_minor) AS amount
  ORDER BY currency
  RETURN collect({currency: currency, amount: amount}) AS earnings
}
RETURN clicks, visitors, size(friends) AS signups, held, by_click, buyers, sales, earnings
