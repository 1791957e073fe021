// Remember a POST's response under its idempotency key (the first one wins).
MERGE (r:IdempotencyRecord {scope: $scope, key: $key})
ON CREATE SET r.body_hash = $body_hash, r.status = $status, r.body = $body,
              r.mimetype = $mimetype, r.at = datetime()
