// Ids of the paid, commissionable orders with `at` in [from, to).
MATCH (o:Order)
WHERE o.at >= $from AND o.at < $to AND o.status = 'paid' AND o.kind IN $kinds
RETURN o.id AS id
ORDER BY o.id
