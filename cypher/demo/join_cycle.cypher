// The demo's referral cycle, written behind the API's back as a faulty tool might:
// CYCLE0 -> CYCLE1 -> CYCLE2 -> CYCLE0 (the import refuses loops; analysis finds them).
MATCH (a:Member {id: 'CYCLE0'}), (b:Member {id: 'CYCLE1'}), (c:Member {id: 'CYCLE2'})
WHERE NOT EXISTS { (a)-[:REFERRED]->(b) }
CREATE (a)-[:REFERRED]->(b), (b)-[:REFERRED]->(c), (c)-[:REFERRED]->(a)
