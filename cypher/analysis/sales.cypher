// Each member's paid sales in minor units, in one record. Starting from the order
// (SOLD only comes from members) avoids a label check per row.
MATCH (o:Order)<-[:SOLD]-(m)
WHERE o.status = 'paid'
WITH m, sum(o.amount_minor) AS volume
RETURN collect([m.id, volume]) AS rows
