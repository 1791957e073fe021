// A ledger line is written once per (order, beneficiary, level, kind): nothing is paid twice.
CREATE CONSTRAINT commission_line_unique IF NOT EXISTS FOR (c:Commission) REQUIRE (c.order_id, c.beneficiary_id, c.level, c.kind) IS UNIQUE
