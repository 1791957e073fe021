// Statements and exports read one run's ledger lines.
CREATE INDEX commission_run_id IF NOT EXISTS FOR (c:Commission) ON (c.run_id)
