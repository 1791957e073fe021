// The paid orders in [from, to) sold by members below a path prefix, found from
// the members (one branch), in the shape of period_orders.cypher.
WITH COLLECT { MATCH (i:Import {status: 'writing'}) RETURN i.id } AS unpublished
MATCH (s:Member)
WHERE s.path STARTS WITH $prefix
MATCH (s)-[:SOLD]->(o:Order)
WHERE o.at >= $from AND o.at < $to AND id(o) % $parts = $part AND o.status = 'paid'
  AND NOT coalesce(o.import_id, '') IN unpublished
OPTIONAL MATCH (o)-[:BOUGHT_BY]->(b)
RETURN collect(id(s)) AS sellers, collect(coalesce(id(b), -1)) AS buyers, collect(o.kind) AS kinds,
       collect(o.amount_minor) AS amounts, collect(o.at.year * 100 + o.at.month) AS months,
       collect(coalesce(o.customer_hash, '')) AS customers, collect(o.currency) AS order_currencies,
       collect(DISTINCT o.currency) AS currencies
