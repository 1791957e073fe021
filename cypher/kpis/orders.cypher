// The paid orders, placed in [from, horizon), of the members whose orders the KPIs
// follow one by one: those who joined in [from, to) (the cohorts) and the referred (their
// first orders and sales); part `part` of `parts` of them, by node id, so that several
// readers share the work.  In one record of columns: the internal id of the member an
// order belongs to (its buyer, or the seller of a retail sale), time, amount in minor
// units, currency and kind.  Unpublished imports are left out.
WITH COLLECT { MATCH (i:Import {status: 'writing'}) RETURN i.id } AS unpublished
MATCH (m:Member)
WHERE id(m) % $parts = $part
  AND ((m.joined_at >= $from AND m.joined_at < $to)
       OR EXISTS { MATCH ()-[r:REFERRED]->(m) WHERE r.via IN $vias AND coalesce(r.status, '') <> $rejected })
CALL (m, unpublished) {
  MATCH (o:Order)-[:BOUGHT_BY]->(m)
  WHERE o.status = 'paid' AND o.at >= $from AND o.at < $horizon AND NOT coalesce(o.import_id, '') IN unpublished
  RETURN o
  UNION
  MATCH (m)-[:SOLD]->(o:Order)
  WHERE o.status = 'paid' AND o.at >= $from AND o.at < $horizon AND NOT coalesce(o.import_id, '') IN unpublished
    AND NOT EXISTS { (o)-[:BOUGHT_BY]->() }
  RETURN o
}
RETURN collect(id(m)) AS members, collect(o.at.epochMillis) AS at, collect(o.amount_minor) AS amounts,
       collect(o.currency) AS currencies, collect(o.kind) AS kinds
