// Serialises network writes so concurrent sponsor changes cannot close a loop together.
CREATE CONSTRAINT network_lock_unique IF NOT EXISTS FOR (l:NetworkLock) REQUIRE l.name IS UNIQUE
