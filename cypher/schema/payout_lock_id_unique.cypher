// One payout lock: without it two transactions that each MERGE the lock before it was
// ever committed would each create one, and neither would wait for the other.
CREATE CONSTRAINT payout_lock_id_unique IF NOT EXISTS FOR (l:PayoutLock) REQUIRE l.id IS UNIQUE
