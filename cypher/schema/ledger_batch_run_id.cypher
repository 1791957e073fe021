// Resuming, reversing and adjusting read one run's batches.
CREATE INDEX ledger_batch_run_id IF NOT EXISTS FOR (b:LedgerBatch) ON (b.run_id)
