// Benchmarks only: flush everything to the store files before their size is measured.
CALL db.checkpoint()
