// Ids of the paid orders of $kinds with `at` in [from, to), in their sellers' tree order
// (by materialised path): consecutive orders share most of their upline, so a batch of
// them pays few members.
WITH COLLECT { MATCH (i:Import {status: 'writing'}) RETURN i.id } AS unpublished
MATCH (seller:Member)-[:SOLD]->(o:Order)
WHERE o.at >= $from AND o.at < $to AND o.status = 'paid' AND o.kind IN $kinds
  AND NOT coalesce(o.import_id, '') IN unpublished
RETURN o.id AS id
ORDER BY seller.path, o.id
