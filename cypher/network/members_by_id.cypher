// Members by id, with the derived properties a sponsor move adjusts.
UNWIND $ids AS id
MATCH (m:Member {id: id})
RETURN m.id AS id, m.path AS path, m.depth AS depth,
       coalesce(m.level_counts, []) AS level_counts, coalesce(m.downline_total, 0) AS downline_total
