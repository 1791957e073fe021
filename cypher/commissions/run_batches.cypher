// A run's ledger batches: number, kind and the orders each settled (resuming skips them).
MATCH (b:LedgerBatch {run_id: $run_id})
RETURN b.batch AS batch, b.kind AS kind, b.order_ids AS order_ids
