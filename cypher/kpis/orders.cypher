// Paid orders placed in [from, horizon) in one record of columns, part `part` of
// `parts` (by node id, so that several readers share the work): the internal id of
// the member an order belongs to (its buyer, or the seller of a retail sale), time,
// amount in minor units, currency and kind.  Unpublished imports are left out.
WITH COLLECT { MATCH (i:Import {status: 'writing'}) RETURN i.id } AS unpublished
MATCH (o:Order)
WHERE o.at >= $from AND o.at < $horizon AND id(o) % $parts = $part AND o.status = 'paid'
  AND NOT coalesce(o.import_id, '') IN unpublished
MATCH (s)-[:SOLD]->(o)
OPTIONAL MATCH (o)-[:BOUGHT_BY]->(b)
RETURN collect(coalesce(id(b), id(s))) AS members, collect(o.at.epochMillis) AS at,
       collect(o.amount_minor) AS amounts, collect(o.currency) AS currencies, collect(o.kind) AS kinds
