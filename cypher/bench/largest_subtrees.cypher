// Benchmarks: the members with the largest downlines.
MATCH (m:Member)
RETURN m.id AS id
ORDER BY m.downline_total DESC
LIMIT $limit
