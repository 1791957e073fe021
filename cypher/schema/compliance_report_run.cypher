// Stored programme figures are read by run.
CREATE INDEX compliance_report_run IF NOT EXISTS FOR (c:ComplianceReport) ON (c.run_id)
