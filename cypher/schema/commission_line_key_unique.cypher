// A ledger line is written once per (order, beneficiary, level, kind, generation): nothing is
// paid twice.  Generation 0 holds a run's lines; an adjustment run for plan version v writes
// generation v, so every later version can adjust once more.
CREATE CONSTRAINT commission_line_key_unique IF NOT EXISTS FOR (c:Commission) REQUIRE (c.order_id, c.beneficiary_id, c.level, c.kind, c.generation) IS UNIQUE
