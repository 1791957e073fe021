// A run's ledger totals are read by run id.
CREATE INDEX commission_total_run_id IF NOT EXISTS FOR (t:CommissionTotal) ON (t.run_id)
