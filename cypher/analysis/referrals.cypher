// Every sponsor -> recruit edge as stored (cycles and extra sponsors included), by
// internal node id, in one record. REFERRED only joins members, so the recruit's
// label is not checked (that check doubles the time).
MATCH (s:Member)-[:REFERRED]->(m)
WITH collect([id(s), id(m)]) AS rows
// Aggregated first: with a literal beside it, no rows would give no record.
RETURN ['sponsor', 'recruit'] AS columns, rows
