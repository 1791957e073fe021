// A member created by a live signup: its signup key (what makes a repeat of the same body
// the same answer), how it was attributed (from the edge from its sponsor), and the
// member as network/member reads it.
MATCH (m:Member {id: $id})
OPTIONAL MATCH (s:Member)-[r:REFERRED]->(m)
RETURN m.signup_key AS signup_key, s.id AS sponsor_id, r.via AS via, r.code AS code, r.campaign AS campaign,
       r.channel AS channel, r.status AS status, coalesce(r.reasons, []) AS reasons,
       m.id AS id, toString(m.joined_at) AS joined_at, m.status AS member_status, m.country AS country,
       coalesce(m.level_counts, []) AS level_counts, coalesce(m.downline_total, 0) AS downline_total
