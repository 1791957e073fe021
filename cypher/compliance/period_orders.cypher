// Every paid order in [from, to), found by time, in one record: seller and
// participant buyer by internal node id (null buyer: a retail customer), kind,
// amount in minor units, month (yyyymm) and retail customer hash; and the
// currencies seen; only part `part` of `parts` (by node id), so that several
// readers share the work. Internal ids and no label checks keep the per-order cost low.
MATCH (o:Order)
WHERE o.at >= $from AND o.at < $to AND id(o) % $parts = $part AND o.status = 'paid'
MATCH (s)-[:SOLD]->(o)
OPTIONAL MATCH (o)-[:BOUGHT_BY]->(b)
RETURN collect([id(s), id(b), o.kind, o.amount_minor, o.at.year * 100 + o.at.month, o.customer_hash]) AS rows,
       collect(DISTINCT o.currency) AS currencies
