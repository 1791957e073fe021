// A run's ledger total is written once per (run, beneficiary, order kind, month, currency):
// identical runs completing at the same time cannot double the totals compliance reads.
CREATE CONSTRAINT commission_total_unique IF NOT EXISTS FOR (t:CommissionTotal) REQUIRE (t.run_id, t.beneficiary_id, t.order_kind, t.order_month, t.currency) IS UNIQUE
