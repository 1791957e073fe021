// Every referral of a friend joined by $through, in one record of columns: friend,
// sponsor, join time (epoch ms) and the referral's status ('' for an imported sponsor edge).
MATCH (s:Member)-[r:REFERRED]->(f:Member)
WHERE f.joined_at <= datetime($through)
RETURN collect(f.id) AS friend, collect(s.id) AS sponsor, collect(f.joined_at.epochMillis) AS joined,
       collect(coalesce(r.status, '')) AS status
