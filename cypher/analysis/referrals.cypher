// Every sponsor -> recruit edge as stored (cycles and extra sponsors included), in one record.
MATCH (s:Member)-[:REFERRED]->(m:Member)
RETURN collect([s.id, m.id]) AS rows
