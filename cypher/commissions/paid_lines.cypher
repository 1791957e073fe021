// The lines runs $runs paid (commissions and adjustments) on these orders, read from the
// statement parts of the batches that settled them.
MATCH (b:LedgerBatch)
WHERE b.run_id IN $runs AND b.kind IN ['commission', 'adjustment'] AND any(x IN b.order_ids WHERE x IN $order_ids)
MATCH (p:StatementPart {run_id: b.run_id, batch: b.batch})
UNWIND range(0, size(p.order_ids) - 1) AS i
WITH p, i
WHERE p.order_ids[i] IN $order_ids
RETURN p.order_ids[i] AS order_id, p.beneficiary_id AS beneficiary_id, p.levels[i] AS level, p.amounts[i] AS amount
