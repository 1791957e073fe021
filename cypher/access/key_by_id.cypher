// The key a request presents, when it exists and is not revoked.
MATCH (k:ApiKey {id: $id})
WHERE k.revoked_at IS NULL
RETURN k.id AS id, k.hash AS hash, k.role AS role, k.member_id AS member_id
