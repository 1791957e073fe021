// Paid orders in [from, to).
MATCH (o:Order)
WHERE o.at >= $from AND o.at < $to AND o.status = 'paid'
RETURN count(*) AS n
