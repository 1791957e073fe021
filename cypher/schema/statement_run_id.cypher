// Exports and compliance read one run's statements.
CREATE INDEX statement_run_id IF NOT EXISTS FOR (s:Statement) ON (s.run_id)
