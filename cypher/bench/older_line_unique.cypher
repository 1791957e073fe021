// Benchmarks only: the older ledger shape's line key (created, as that release did,
// before its lines are written; dropped after the measurement).
CREATE CONSTRAINT bench_older_line_unique IF NOT EXISTS FOR (c:Commission) REQUIRE (c.order_id, c.beneficiary_id, c.level, c.kind, c.generation) IS UNIQUE
