// REFERRED edges of newly created members (they have no edge yet); for a live signup, how
// it was attributed (via sponsor, code or click, and the code, campaign and channel).
UNWIND $rows AS r
MATCH (s:Member {id: r.sponsor_id}), (m:Member {id: r.id})
CREATE (s)-[:REFERRED {at: m.joined_at, via: r.via, code: r.code, campaign: r.campaign, channel: r.channel}]->(m)
