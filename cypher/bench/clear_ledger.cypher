// Benchmarks only: remove runs and their ledger (and the older shape's lines the
// benchmark writes to compare) so a run starts from nothing.
MATCH (c)
WHERE c:LedgerBatch OR c:StatementPart OR c:Statement OR c:CommissionRun OR c:Commission
WITH c LIMIT 50000
DETACH DELETE c
RETURN count(*) AS deleted
