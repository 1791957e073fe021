// Benchmarks only: remove the naive path's lines.
MATCH (c:NaiveCommission)
WITH c LIMIT 50000
DELETE c
RETURN count(*) AS deleted
