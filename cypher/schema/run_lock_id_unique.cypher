// Processes doing the same run (a commission run, a reward rule's runs) queue on one lock (see locks/run).
CREATE CONSTRAINT run_lock_id_unique IF NOT EXISTS FOR (l:RunLock) REQUIRE l.id IS UNIQUE
