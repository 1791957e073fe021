// A compliance run's ranked branches (those above the size floor).
UNWIND $rows AS r
CREATE (:ComplianceBranch {run_id: $run_id, rank: r.rank, member_id: r.member_id, branch_size: r.branch_size,
                           item: r.item})
