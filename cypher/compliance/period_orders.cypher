// Every paid order in [from, to), found by time, in one record of columns (a list
// per field decodes far faster than a list per order): seller and participant
// buyer by internal node id (-1: a retail customer), kind, amount in minor units,
// month (yyyymm) and retail customer hash ('' for none); and the currencies seen;
// only part `part` of `parts` (by node id), so that several readers share the
// work. Internal ids and no label checks keep the per-order cost low.
WITH COLLECT { MATCH (i:Import {status: 'writing'}) RETURN i.id } AS unpublished
MATCH (o:Order)
WHERE o.at >= $from AND o.at < $to AND id(o) % $parts = $part AND o.status = 'paid'
  AND NOT coalesce(o.import_id, '') IN unpublished
MATCH (s)-[:SOLD]->(o)
OPTIONAL MATCH (o)-[:BOUGHT_BY]->(b)
RETURN collect(id(s)) AS sellers, collect(coalesce(id(b), -1)) AS buyers, collect(o.kind) AS kinds,
       collect(o.amount_minor) AS amounts, collect(o.at.year * 100 + o.at.month) AS months,
       collect(coalesce(o.customer_hash, '')) AS customers, collect(o.currency) AS order_currencies,
       collect(DISTINCT o.currency) AS currencies
