// Before payout_lock_id_unique exists: a store written without it may hold two payout
// locks (two transactions that each took the lock before it was first committed each
// created one).  The lock holds no data but its version, so one is kept and the rest go.
MATCH (lock:PayoutLock {id: 'payouts'})
WITH collect(lock) AS locks
FOREACH (extra IN locks[1..] | DELETE extra)
