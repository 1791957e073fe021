// Benchmarks only: remove ledger lines and runs so a run starts from nothing.
MATCH (c)
WHERE c:Commission OR c:CommissionRun OR c:CommissionTotal
WITH c LIMIT 50000
DETACH DELETE c
RETURN count(*) AS deleted
