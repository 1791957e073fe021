// A member created by a live signup: its signup key (what makes a repeat of the same body
// the same answer) and how it was attributed, from the edge from its sponsor.
MATCH (m:Member {id: $id})
OPTIONAL MATCH (s:Member)-[r:REFERRED]->(m)
RETURN m.signup_key AS signup_key, s.id AS sponsor_id, r.via AS via, r.code AS code, r.campaign AS campaign,
       r.channel AS channel, r.status AS status, coalesce(r.reasons, []) AS reasons
