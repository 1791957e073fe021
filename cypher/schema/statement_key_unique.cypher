// A run's statement is written once per (run, beneficiary, currency): identical runs
// completing at the same time cannot double the totals compliance reads.
CREATE CONSTRAINT statement_key_unique IF NOT EXISTS FOR (s:Statement) REQUIRE (s.run_id, s.beneficiary_id, s.currency) IS UNIQUE
