// Every member with its sponsor and stored derived properties, for a whole-forest
// recompute, as rows in one record.  A member that other tools gave several
// sponsors appears once per sponsor.
MATCH (m:Member)
OPTIONAL MATCH (s:Member)-[:REFERRED]->(m)
RETURN collect([m.id, s.id, m.depth, m.path, coalesce(m.level_counts, []), m.downline_total]) AS rows
