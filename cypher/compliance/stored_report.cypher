// The programme figures stored by a compliance run for exactly this period.
MATCH (c:ComplianceReport {run_id: $run_id})
WHERE c.from = $from AND c.to = $to
RETURN c.program AS program
