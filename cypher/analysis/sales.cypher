// Each member's paid sales in minor units per currency, in one record. Starting from
// the order (SOLD only comes from members) avoids a label check per row.
WITH COLLECT { MATCH (i:Import {status: 'writing'}) RETURN i.id } AS unpublished
MATCH (o:Order)<-[:SOLD]-(m)
WHERE o.status = 'paid' AND NOT coalesce(o.import_id, '') IN unpublished
WITH m, o.currency AS currency, sum(o.amount_minor) AS volume
WITH collect([m.id, currency, volume]) AS rows
// Aggregated first: with a literal beside it, no rows would give no record.
RETURN ['member_id', 'currency', 'volume'] AS columns, rows
