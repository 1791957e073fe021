// One ledger batch of a run converted from the older shape: its lines of one kind,
// generation (and reversed run) on these orders, as they were.
MATCH (c:Commission {run_id: $run_id})
WHERE c.order_id IN $order_ids AND c.kind = $kind AND coalesce(c.generation, 0) = $generation
  AND coalesce(c.reverses_run_id, '') = coalesce($reverses_run_id, '')
OPTIONAL MATCH (seller:Member)-[:SOLD]->(:Order {id: c.order_id})
WITH c, seller
ORDER BY c.order_id, c.level
WITH {order_id: c.order_id, seller_id: seller.id, beneficiary_id: c.beneficiary_id, level: c.level,
      amount: c.amount_minor, rate: c.rate, currency: c.currency, order_kind: c.order_kind,
      order_month: c.order_month} AS line
// include commissions/write_batch
