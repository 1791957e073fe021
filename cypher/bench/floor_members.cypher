// Benchmarks only: every member's id, sponsor's id and status, as columns (the in-memory
// floor's input, read once and not timed).
MATCH (m:Member)
OPTIONAL MATCH (s:Member)-[:REFERRED]->(m)
RETURN collect(m.id) AS ids, collect(coalesce(s.id, '')) AS sponsors, collect(m.status = 'active') AS active
