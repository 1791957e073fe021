// Turn up to $limit of an import's staged links into USES links (first_seen set once);
// how many (run until 0, in the import's publishing transaction).
MATCH (m:Member)-[s:STAGED_USES {import_id: $import_id}]->(i:Identifier)
WITH m, s, i LIMIT $limit
MERGE (m)-[u:USES]->(i)
ON CREATE SET u.first_seen = datetime(), u.last_seen = datetime()
DELETE s
RETURN count(*) AS published
