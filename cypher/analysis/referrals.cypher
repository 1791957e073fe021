// Every sponsor -> recruit edge as stored (cycles and extra sponsors included), by
// internal node id, in one record. REFERRED only joins members, so the recruit's
// label is not checked (that check doubles the time).
MATCH (s:Member)-[:REFERRED]->(m)
RETURN collect([id(s), id(m)]) AS rows
