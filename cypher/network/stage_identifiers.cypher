// Stage an import's new links of members to hashed identifiers: readers follow USES only.
UNWIND $rows AS r
MATCH (m:Member {id: r.member_id})
MERGE (i:Identifier {kind: r.kind, hash: r.hash})
CREATE (m)-[:STAGED_USES {import_id: $import_id}]->(i)
