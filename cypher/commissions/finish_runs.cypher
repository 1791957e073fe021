// Mark runs complete and, in the same transaction, write their ledger totals: per
// beneficiary, kind of order paid on, its month and currency (what compliance reads
// instead of every line). So a complete run always has its totals; a run that has
// them is left alone, and MERGE behind commission_total_unique writes each total once
// even when identical runs complete at the same moment.
UNWIND $ids AS id
MATCH (r:CommissionRun {id: id})
WHERE r.totals_at IS NULL
CALL {
  WITH r
  MATCH (c:Commission {run_id: r.id})
  WITH r, c.beneficiary_id AS beneficiary_id, c.order_kind AS order_kind, c.order_month AS order_month,
       c.currency AS currency, sum(c.amount_minor) AS amount_minor
  MERGE (t:CommissionTotal {run_id: r.id, beneficiary_id: beneficiary_id, order_kind: order_kind,
                           order_month: order_month, currency: currency})
  ON CREATE SET t.amount_minor = amount_minor
}
SET r.status = 'complete', r.finished_at = coalesce(r.finished_at, datetime()), r.totals_at = datetime()
