// Benchmarks only: the member with the most lines in a run.
MATCH (s:Statement)
WHERE s.run_id = $run_id AND s.beneficiary_id IS NOT NULL AND s.currency IS NOT NULL
RETURN s.beneficiary_id AS id, s.lines AS lines
ORDER BY lines DESC
LIMIT 1
