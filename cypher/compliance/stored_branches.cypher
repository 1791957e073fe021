// The riskiest branches of at least min_size participants stored by a compliance run.
MATCH (b:ComplianceBranch {run_id: $run_id})
WHERE b.branch_size >= $min_size
RETURN b.item AS item
ORDER BY b.rank
LIMIT $limit
