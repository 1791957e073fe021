// Paid orders in [from, to).
WITH COLLECT { MATCH (i:Import {status: 'writing'}) RETURN i.id } AS unpublished
MATCH (o:Order)
WHERE o.at >= $from AND o.at < $to AND o.status = 'paid' AND NOT coalesce(o.import_id, '') IN unpublished
RETURN count(*) AS n
