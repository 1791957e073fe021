// A member's statement pages through their parts of one run in batch order.
CREATE CONSTRAINT statement_part_key_unique IF NOT EXISTS FOR (p:StatementPart) REQUIRE (p.run_id, p.beneficiary_id, p.batch) IS UNIQUE
