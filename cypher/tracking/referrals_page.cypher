// Referrals in one status (held, approved), by member id after $after, with how and why.
MATCH (s:Member)-[r:REFERRED]->(m:Member)
WHERE r.status = $status AND m.id > $after
RETURN m.id AS member_id, s.id AS sponsor_id, toString(m.joined_at) AS joined_at, r.via AS via, r.code AS code,
       r.status AS status, coalesce(r.reasons, []) AS reasons
ORDER BY m.id
LIMIT $limit
