// For every run of the plan: the orders of its period refunded since that it settled and
// no run has reversed yet, per batch that settled them.
WITH COLLECT { MATCH (i:Import {status: 'writing'}) RETURN i.id } AS unpublished
MATCH (r:CommissionRun {plan_id: $plan_id})
CALL (r, unpublished) {
  MATCH (o:Order {status: 'refunded'})
  WHERE o.at >= r.from AND o.at < r.to AND NOT coalesce(o.import_id, '') IN unpublished
  RETURN collect(o.id) AS refunded
}
WITH r, refunded
WHERE size(refunded) > 0
CALL (r) {
  MATCH (v:LedgerBatch {kind: 'reversal', reverses_run_id: r.id})
  UNWIND v.order_ids AS order_id
  RETURN collect(order_id) AS reversed
}
WITH r, [x IN refunded WHERE NOT x IN reversed] AS todo
WHERE size(todo) > 0
MATCH (b:LedgerBatch {run_id: r.id})
WHERE b.kind <> 'reversal'
WITH r, b, [x IN b.order_ids WHERE x IN todo] AS order_ids
WHERE size(order_ids) > 0
RETURN r.id AS run_id, b.batch AS batch, b.generation AS generation, order_ids
ORDER BY run_id, batch
