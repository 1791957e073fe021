// Idempotency records are found by (caller, key).
CREATE CONSTRAINT idempotency_scope_key_unique IF NOT EXISTS FOR (r:IdempotencyRecord) REQUIRE (r.scope, r.key) IS UNIQUE
