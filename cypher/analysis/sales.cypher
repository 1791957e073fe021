// Each member's paid sales in minor units per currency, in one record of columns.
// Starting from the order (SOLD only comes from members) avoids a label check per row.
WITH COLLECT { MATCH (i:Import {status: 'writing'}) RETURN i.id } AS unpublished
MATCH (o:Order)<-[:SOLD]-(m)
WHERE o.status = 'paid' AND NOT coalesce(o.import_id, '') IN unpublished
WITH m, o.currency AS currency, sum(o.amount_minor) AS volume
RETURN collect(m.id) AS member_id, collect(currency) AS currency, collect(volume) AS volume
