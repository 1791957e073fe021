// Benchmarks only: the records a run's ledger is stored in.
RETURN COUNT { MATCH (b:LedgerBatch {run_id: $run_id}) } AS batches,
       COUNT { MATCH (p:StatementPart) WHERE p.run_id = $run_id } AS parts,
       COUNT { MATCH (s:Statement) WHERE s.run_id = $run_id AND s.beneficiary_id IS NOT NULL
                                AND s.currency IS NOT NULL } AS statements
