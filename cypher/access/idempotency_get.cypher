// The stored response of an earlier POST with the same idempotency key, if recent.
MATCH (r:IdempotencyRecord {scope: $scope, key: $key})
WHERE r.at > datetime() - duration({hours: $keep_hours})
RETURN r.body_hash AS body_hash, r.status AS status, r.body AS body, r.mimetype AS mimetype
