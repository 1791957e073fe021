// Store a new API key: only the hash of its secret is kept.
CREATE (k:ApiKey {id: $id, hash: $hash, role: $role, member_id: $member_id,
                  created_at: datetime(), revoked_at: null})
RETURN k.id AS id, k.role AS role, k.member_id AS member_id, toString(k.created_at) AS created_at
