// Benchmarks only: the period's paid orders of $kinds as columns (the floor's input).
WITH COLLECT { MATCH (i:Import {status: 'writing'}) RETURN i.id } AS unpublished
MATCH (seller:Member)-[:SOLD]->(o:Order)
WHERE o.at >= $from AND o.at < $to AND o.status = 'paid' AND o.kind IN $kinds
  AND NOT coalesce(o.import_id, '') IN unpublished
RETURN collect(seller.id) AS sellers, collect(o.amount_minor) AS amounts, collect(o.currency) AS currencies
