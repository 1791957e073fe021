// Reversal lines, in this run, for every commission or adjustment line that a run of the
// same plan paid on an order refunded since: the negative of the original amount, in
// its generation, referencing the original's run.  Lines are never edited or deleted.
WITH COLLECT { MATCH (i:Import {status: 'writing'}) RETURN i.id } AS unpublished
MATCH (o:Order {status: 'refunded'})
WHERE NOT coalesce(o.import_id, '') IN unpublished
MATCH (c:Commission {order_id: o.id})
WHERE c.kind IN ['commission', 'adjustment']
MATCH (:CommissionRun {id: c.run_id, plan_id: $plan_id})
MERGE (r:Commission {order_id: c.order_id, beneficiary_id: c.beneficiary_id, level: c.level, kind: 'reversal',
                     generation: c.generation})
ON CREATE SET r.run_id = $run_id, r.amount_minor = -c.amount_minor, r.rate = c.rate,
              r.currency = c.currency, r.order_kind = c.order_kind, r.order_month = c.order_month,
              r.reverses_run_id = c.run_id, r.created_at = datetime()
RETURN count(r) AS lines
