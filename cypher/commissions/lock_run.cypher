// A run's lock, taken by the transaction its lease holds open: a second process paying
// the same run waits here until the first ends (the lock node is never committed).
MERGE (:RunLock {id: $id})
