// REFERRED edges of newly created members (they have no edge yet).
UNWIND $rows AS r
MATCH (s:Member {id: r.sponsor_id}), (m:Member {id: r.id})
CREATE (s)-[:REFERRED {at: m.joined_at}]->(m)
