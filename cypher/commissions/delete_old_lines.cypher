// Remove a converted run's lines and totals of the older shape (run alone, in auto-commit
// mode: it commits every 50,000 nodes and a rerun continues).
CALL () {
  MATCH (c:Commission {run_id: $run_id})
  RETURN c
  UNION
  MATCH (c:CommissionTotal {run_id: $run_id})
  RETURN c
}
CALL (c) {
  DELETE c
} IN TRANSACTIONS OF 50000 ROWS
