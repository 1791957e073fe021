// Benchmarks only: the older ledger shape's index for statements.
CREATE INDEX bench_older_statement IF NOT EXISTS FOR (c:Commission) ON (c.run_id, c.beneficiary_id, c.order_id)
