// Ids of the paid orders of $kinds with `at` in [from, to), in their sellers' tree order
// (by materialised path, then id), with those paths: consecutive orders share most of
// their upline, so a batch of them pays few members.  One record of lists: a million
// rows one by one take the driver several times longer.
WITH COLLECT { MATCH (i:Import {status: 'writing'}) RETURN i.id } AS unpublished
MATCH (o:Order)
WHERE o.at >= $from AND o.at < $to AND o.status = 'paid' AND o.kind IN $kinds
  AND NOT coalesce(o.import_id, '') IN unpublished
MATCH (seller:Member)-[:SOLD]->(o)
WITH o.id AS id, seller.path AS path
ORDER BY path, id
RETURN collect(id) AS ids, collect(path) AS paths
