// Every key with its role, scope and state; never the hash.
MATCH (k:ApiKey)
RETURN k.id AS id, k.role AS role, k.member_id AS member_id,
       toString(k.created_at) AS created_at, toString(k.revoked_at) AS revoked_at
ORDER BY k.created_at, k.id
