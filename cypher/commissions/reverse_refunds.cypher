// Reversal lines, in this run, for every line that a run of the same plan paid on an
// order refunded since: the negative of the original amount, referencing the
// original's run.  Lines are never edited or deleted.
MATCH (o:Order {status: 'refunded'})
MATCH (c:Commission {order_id: o.id, kind: 'commission'})
MATCH (:CommissionRun {id: c.run_id, plan_id: $plan_id})
MERGE (r:Commission {order_id: c.order_id, beneficiary_id: c.beneficiary_id, level: c.level, kind: 'reversal'})
ON CREATE SET r.run_id = $run_id, r.amount_minor = -c.amount_minor, r.rate = c.rate,
              r.currency = c.currency, r.order_kind = c.order_kind, r.order_month = c.order_month,
              r.reverses_run_id = c.run_id, r.created_at = datetime()
RETURN count(r) AS lines
