// Processes paying the same commission run queue on one lock (see commissions/lock_run).
CREATE CONSTRAINT run_lock_id_unique IF NOT EXISTS FOR (l:RunLock) REQUIRE l.id IS UNIQUE
