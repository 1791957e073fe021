// Reversal lines, as a batch of run $run_id, for the lines that batch $source_batch of
// run $reverses_run_id paid on these since refunded orders: the negative of each, in its
// generation.  Lines are never edited or deleted.
MATCH (p:StatementPart {run_id: $reverses_run_id, batch: $source_batch})
UNWIND range(0, size(p.order_ids) - 1) AS i
WITH p, i
WHERE p.order_ids[i] IN $order_ids
WITH {order_id: p.order_ids[i], seller_id: p.seller_ids[i], beneficiary_id: p.beneficiary_id, level: p.levels[i],
      amount: -p.amounts[i], rate: p.rates[i], currency: p.currencies[i], order_kind: p.order_kinds[i],
      order_month: p.order_months[i]} AS line
// include commissions/write_batch
