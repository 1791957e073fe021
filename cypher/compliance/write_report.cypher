// A compliance run's programme figures for its period.
CREATE (:ComplianceReport {run_id: $run_id, from: $from, to: $to, program: $program, computed_at: datetime()})
