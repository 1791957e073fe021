// The payout lock, held to the end of the transaction: a payout batch takes it before it
// reads the approved lines, and a reward run before it changes stored approved lines, so
// a batch never takes a line whose status or amount a run is changing.
MERGE (lock:PayoutLock {id: 'payouts'})
SET lock.version = coalesce(lock.version, 0) + 1
