// Benchmarks only — the slow path the commission run replaces: one order's upline
// found by expanding variable-length REFERRED paths, nearest first.
WITH COLLECT { MATCH (i:Import {status: 'writing'}) RETURN i.id } AS unpublished
MATCH (seller:Member)-[:SOLD]->(o:Order {id: $order_id})
WHERE NOT coalesce(o.import_id, '') IN unpublished
MATCH p = (u:Member)-[:REFERRED*1..60]->(seller)
WITH o, u, length(p) AS distance
ORDER BY distance
RETURN o.amount_minor AS amount_minor, collect(u.id) AS upline, collect(u.status) AS statuses
