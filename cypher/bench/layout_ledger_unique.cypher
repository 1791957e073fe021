// The scratch member ledgers' index: one node per rule and member.
CREATE CONSTRAINT bench_layout_ledger_unique IF NOT EXISTS FOR (x:BenchLayoutLedger) REQUIRE (x.rule_id, x.member_id) IS UNIQUE
