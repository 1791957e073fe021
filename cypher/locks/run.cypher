// A lock on one run (a commission run's id; a reward rule's runs share one), taken by the
// transaction its lease holds open: a second process doing the same run waits here
// until the first ends (the lock node is never committed).
MERGE (:RunLock {id: $id})
