// Record how far a run has got.
MATCH (r:CommissionRun {id: $id})
SET r.orders = $orders, r.orders_done = $orders_done
