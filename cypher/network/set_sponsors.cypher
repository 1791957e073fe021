// Point each member at its sponsor from the import: drop any other incoming
// REFERRED edge, then MERGE the one from the sponsor (a founder keeps none).
UNWIND $rows AS r
MATCH (m:Member {id: r.id})
CALL (m, r) {
  OPTIONAL MATCH (other:Member)-[old:REFERRED]->(m)
  WHERE other.id <> coalesce(r.sponsor_id, '')
  DELETE old
}
WITH m, r
WHERE r.sponsor_id IS NOT NULL
MATCH (s:Member {id: r.sponsor_id})
MERGE (s)-[e:REFERRED]->(m)
ON CREATE SET e.at = m.joined_at
