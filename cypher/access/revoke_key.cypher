// Revoke a key; revoking twice keeps the first time.
MATCH (k:ApiKey {id: $id})
SET k.revoked_at = coalesce(k.revoked_at, datetime())
RETURN k.id AS id
