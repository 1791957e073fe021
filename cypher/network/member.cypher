// Members by id, each with its sponsor and stored downline counts.
UNWIND $ids AS id
MATCH (m:Member {id: id})
OPTIONAL MATCH (s:Member)-[:REFERRED]->(m)
RETURN m.id AS id, min(s.id) AS sponsor_id, toString(m.joined_at) AS joined_at,
       m.status AS status, m.country AS country, m.path AS path, m.depth AS depth,
       coalesce(m.level_counts, []) AS level_counts, coalesce(m.downline_total, 0) AS downline_total
