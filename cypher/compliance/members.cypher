// Members below a path prefix ('' for everyone) in one record: internal node id
// (keys the orders and lines read alongside), member id, the sponsor's internal
// node id (the first, should bad data hold several) and whether they joined
// before the period ends.
MATCH (m:Member)
WHERE m.path STARTS WITH $prefix
WITH collect([id(m), m.id, head([(s)-[:REFERRED]->(m) | id(s)]), m.joined_at < $to]) AS rows
// Aggregated first: with a literal beside it, no rows would give no record.
RETURN ['internal', 'id', 'sponsor', 'participant'] AS columns, rows
