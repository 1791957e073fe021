// Benchmarks only: the older ledger shape's index for exports and totals.
CREATE INDEX bench_older_run_id IF NOT EXISTS FOR (c:Commission) ON (c.run_id)
