// A run's lines in the older shape, grouped as batches are (kind, generation, and for
// reversals the run reversed), each with its orders in order.
MATCH (c:Commission {run_id: $run_id})
WITH c.kind AS kind, coalesce(c.generation, 0) AS generation, c.reverses_run_id AS reverses_run_id,
     c.order_id AS order_id
ORDER BY kind, generation, reverses_run_id, order_id
WITH kind, generation, reverses_run_id, collect(DISTINCT order_id) AS order_ids
RETURN kind, generation, reverses_run_id, order_ids
