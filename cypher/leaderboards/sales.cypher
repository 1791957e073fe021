// Members by what the friends they referred sold in [$from, $to) in $currency (paid
// orders, minor units; friends of held or rejected referrals left out), most first; ties
// by member id.
WITH COLLECT { MATCH (i:Import {status: 'writing'}) RETURN i.id } AS unpublished
MATCH (s:Member)-[r:REFERRED]->(:Member)-[:SOLD]->(o:Order {status: 'paid'})
WHERE o.at >= $from AND o.at < $to AND o.currency = $currency AND coalesce(r.status, 'approved') = 'approved'
  AND NOT coalesce(o.import_id, '') IN unpublished
WITH s.id AS member_id, sum(o.amount_minor) AS value
RETURN member_id, value
ORDER BY value DESC, member_id
LIMIT $limit
