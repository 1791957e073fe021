// Every sponsor -> recruit edge, as stored (cycles and extra sponsors included).
MATCH (s:Member)-[:REFERRED]->(m:Member)
RETURN s.id, m.id
