// How many active members' sponsors became inactive or terminated in [from, to), and
// how many members sit below them.
MATCH (s:Member)-[:REFERRED]->(m:Member)
WHERE s.status <> 'active' AND coalesce(s.status_since, s.joined_at) >= $from
  AND coalesce(s.status_since, s.joined_at) < $to AND m.status = 'active'
RETURN count(m) AS members, sum(coalesce(m.downline_total, 0)) AS downline
