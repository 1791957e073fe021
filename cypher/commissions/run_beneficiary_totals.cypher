// Each beneficiary's non-zero total in a run, per currency, from its statements.
MATCH (s:Statement {run_id: $id})
WHERE s.total_minor <> 0
RETURN s.beneficiary_id AS beneficiary_id, s.currency AS currency, s.total_minor AS total_minor
ORDER BY beneficiary_id, currency
