// A run writes each ledger batch once: a resumed or concurrent run cannot settle an order twice.
CREATE CONSTRAINT ledger_batch_key_unique IF NOT EXISTS FOR (b:LedgerBatch) REQUIRE (b.run_id, b.batch) IS UNIQUE
