// Replace the member's incoming REFERRED edge with one from the new sponsor.
MATCH (m:Member {id: $id}), (s:Member {id: $sponsor_id})
OPTIONAL MATCH (:Member)-[old:REFERRED]->(m)
DELETE old
WITH DISTINCT m, s
CREATE (s)-[:REFERRED {at: datetime(), channel: 'sponsor-change'}]->(m)
