// Benchmarks only: the member with the most lines in a run.
MATCH (s:Statement {run_id: $run_id})
RETURN s.beneficiary_id AS id, s.lines AS lines
ORDER BY lines DESC
LIMIT 1
