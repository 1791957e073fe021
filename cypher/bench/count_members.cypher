// Benchmarks: how many members are stored.
MATCH (m:Member)
RETURN count(m) AS n
