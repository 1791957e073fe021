// Every paid order placed in [from, to), summed per calendar month (yyyymm, UTC), kind
// and currency.  Unpublished imports are left out.
WITH COLLECT { MATCH (i:Import {status: 'writing'}) RETURN i.id } AS unpublished
MATCH (o:Order)
WHERE o.at >= $from AND o.at < $to AND o.status = 'paid' AND NOT coalesce(o.import_id, '') IN unpublished
RETURN o.at.year * 100 + o.at.month AS month, o.kind AS kind, o.currency AS currency, sum(o.amount_minor) AS amount
