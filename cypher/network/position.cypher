// Where a member sits: its materialised path, depth and stored downline counts
// (all a downline or upline answer needs; no sponsor lookup).
MATCH (m:Member {id: $id})
RETURN m.path AS path, m.depth AS depth, coalesce(m.level_counts, []) AS level_counts,
       coalesce(m.downline_total, 0) AS downline_total
