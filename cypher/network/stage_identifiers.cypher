// Link members to hashed identifiers, each new link tagged with the import: readers skip
// links of imports still writing (see imports/create.cypher).  first_seen is set once.
UNWIND $rows AS r
MATCH (m:Member {id: r.member_id})
MERGE (i:Identifier {kind: r.kind, hash: r.hash})
MERGE (m)-[u:USES]->(i)
ON CREATE SET u.first_seen = datetime(), u.last_seen = datetime(), u.import_id = $import_id
