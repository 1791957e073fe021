// Each beneficiary's non-zero total in a run, per currency, from its statements.
MATCH (s:Statement)
// Existence of the key's other parts lets the planner seek statement_key_unique by run.
WHERE s.run_id = $id AND s.beneficiary_id IS NOT NULL AND s.currency IS NOT NULL AND s.total_minor <> 0
RETURN s.beneficiary_id AS beneficiary_id, s.currency AS currency, s.total_minor AS total_minor
ORDER BY beneficiary_id, currency
