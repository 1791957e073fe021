// Benchmarks: how many clicks are stored.
MATCH (k:Click)
RETURN count(k) AS n
