// Benchmarks only: the older ledger shape's index for reversals.
CREATE INDEX bench_older_order_id IF NOT EXISTS FOR (c:Commission) ON (c.order_id)
