// Ids of the paid, commissionable orders with `at` in [from, to).
WITH COLLECT { MATCH (i:Import {status: 'writing'}) RETURN i.id } AS unpublished
MATCH (o:Order)
WHERE o.at >= $from AND o.at < $to AND o.status = 'paid' AND o.kind IN $kinds
  AND NOT coalesce(o.import_id, '') IN unpublished
RETURN o.id AS id
ORDER BY o.id
