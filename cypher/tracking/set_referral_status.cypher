// Decide a held referral: approved, or (after the member moved to the fallback sponsor)
// rejected, naming the sponsor it was held under.  The decision stays on the edge.
MATCH (s:Member)-[r:REFERRED]->(m:Member {id: $member_id})
SET r.status = $status, r.reasons = $reasons, r.held_sponsor_id = $held_sponsor_id, r.decided_at = datetime()
RETURN m.id AS member_id, s.id AS sponsor_id, toString(m.joined_at) AS joined_at, r.via AS via, r.code AS code,
       r.status AS status, coalesce(r.reasons, []) AS reasons
