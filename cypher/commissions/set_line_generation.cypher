// Lines written before adjustment runs existed belong to generation 0 (run alone, in
// auto-commit mode: it commits every 50,000 lines and a rerun continues).
MATCH (c:Commission)
WHERE c.generation IS NULL
CALL (c) {
  SET c.generation = 0
} IN TRANSACTIONS OF 50000 ROWS
