// Benchmarks: every member id, to sample from.
MATCH (m:Member)
RETURN m.id AS id
