// Benchmarks: the ids of members with a sponsor who joined in [from, to).
MATCH (m:Member)
WHERE m.joined_at >= $from AND m.joined_at < $to AND EXISTS { ()-[:REFERRED]->(m) }
RETURN m.id AS id
