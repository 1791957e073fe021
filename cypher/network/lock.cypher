// Take the network write lock: every sponsor change holds it until it commits,
// so two concurrent changes cannot together close a loop.
MERGE (l:NetworkLock {name: 'network'})
SET l.version = coalesce(l.version, 0) + 1
