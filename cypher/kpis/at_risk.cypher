// Active members whose sponsor became inactive or terminated in [from, to) (its status
// since then; its join time when no change was recorded), biggest downline first (ties
// by id): the member, the sponsor, its status and since when, the member's downline
// size and its paid sales in the period per currency.
WITH COLLECT { MATCH (i:Import {status: 'writing'}) RETURN i.id } AS unpublished
MATCH (s:Member)-[:REFERRED]->(m:Member)
WHERE s.status <> 'active' AND coalesce(s.status_since, s.joined_at) >= $from
  AND coalesce(s.status_since, s.joined_at) < $to AND m.status = 'active'
WITH m, s, unpublished
ORDER BY coalesce(m.downline_total, 0) DESC, m.id
LIMIT $limit
CALL (m, unpublished) {
  OPTIONAL MATCH (m)-[:SOLD]->(o:Order {status: 'paid'})
  WHERE o.at >= $from AND o.at < $to AND NOT coalesce(o.import_id, '') IN unpublished
  WITH o.currency AS currency, sum(o.amount_minor) AS amount
  WHERE currency IS NOT NULL
  ORDER BY currency
  RETURN collect({currency: currency, amount: amount}) AS sales
}
RETURN m.id AS member_id, s.id AS sponsor_id, s.status AS sponsor_status,
       toString(coalesce(s.status_since, s.joined_at)) AS sponsor_status_since,
       coalesce(m.downline_total, 0) AS downline_total, sales
