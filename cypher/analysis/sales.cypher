// Each member's paid sales in minor units, in one record.
MATCH (m:Member)-[:SOLD]->(o:Order)
WHERE o.status = 'paid'
WITH m, sum(o.amount_minor) AS volume
RETURN collect([m.id, volume]) AS rows
