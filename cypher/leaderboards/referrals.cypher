// Members by the referrals who joined them in [$from, $to) and were not held or
// rejected (an imported sponsor edge counts), most first; ties by member id.
MATCH (s:Member)-[r:REFERRED]->(f:Member)
WHERE f.joined_at >= $from AND f.joined_at < $to AND coalesce(r.status, 'approved') = 'approved'
WITH s.id AS member_id, count(f) AS value
RETURN member_id, value
ORDER BY value DESC, member_id
LIMIT $limit
