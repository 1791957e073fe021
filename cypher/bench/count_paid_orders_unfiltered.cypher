// Benchmarks only: count_paid_orders.cypher without skipping unfinished imports, to
// measure what that costs a reader.
MATCH (o:Order)
WHERE o.at >= $from AND o.at < $to AND o.status = 'paid'
RETURN count(*) AS n
