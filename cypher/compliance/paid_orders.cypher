// Paid orders in [from, to) sold by members below a path prefix, with the calendar
// month, as rows in one record.
MATCH (s:Member)-[:SOLD]->(o:Order)
WHERE o.at >= $from AND o.at < $to AND o.status = 'paid' AND s.path STARTS WITH $prefix
OPTIONAL MATCH (o)-[:BOUGHT_BY]->(b:Member)
RETURN collect([s.id, b.id, o.kind, o.amount_minor, o.at.year * 100 + o.at.month,
                o.customer_hash, o.currency]) AS rows
