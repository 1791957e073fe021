// Stored branches are read by run, in rank order.
CREATE INDEX compliance_branch_run IF NOT EXISTS FOR (b:ComplianceBranch) ON (b.run_id, b.rank)
