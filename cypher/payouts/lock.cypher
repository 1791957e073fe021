// The payout lock, held to the end of the transaction: payout batches are made one at a
// time, so no line or statement enters two.
MERGE (lock:PayoutLock {id: 'payouts'})
SET lock.version = coalesce(lock.version, 0) + 1
