// Every member's use of a hashed identifier.
MATCH (m:Member)-[:USES]->(i:Identifier)
RETURN m.id, i.kind, i.hash
