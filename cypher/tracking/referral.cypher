// A member's referral: its sponsor, the sponsor's sponsor (where a rejected referral
// goes), and how and why it was attributed and held.
MATCH (s:Member)-[r:REFERRED]->(m:Member {id: $member_id})
OPTIONAL MATCH (fallback:Member)-[:REFERRED]->(s)
RETURN m.id AS member_id, s.id AS sponsor_id, fallback.id AS fallback_id, toString(m.joined_at) AS joined_at,
       r.via AS via, r.code AS code, r.status AS status, coalesce(r.reasons, []) AS reasons
