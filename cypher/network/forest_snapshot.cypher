// Every member with its sponsor, fields and stored derived properties, for a
// whole-forest recompute and a re-import's comparison, as rows in one record.
// A member that other tools gave several sponsors appears once per sponsor.
MATCH (m:Member)
OPTIONAL MATCH (s:Member)-[:REFERRED]->(m)
WITH collect([m.id, s.id, m.joined_at.epochMillis, m.status, m.country, m.depth, m.path,
              coalesce(m.level_counts, []), m.downline_total]) AS rows
// Aggregated first: with a literal beside it, no rows would give no record.
RETURN ['id', 'sponsor_id', 'joined_at', 'status', 'country', 'depth', 'path', 'level_counts', 'downline_total']
       AS columns, rows
