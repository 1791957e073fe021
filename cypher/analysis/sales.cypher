// Each member's paid sales, in minor units.
MATCH (m:Member)-[:SOLD]->(o:Order)
WHERE o.status = 'paid'
RETURN m.id, sum(o.amount_minor)
