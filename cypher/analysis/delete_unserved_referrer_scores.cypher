// Up to 10000 ReferrerScore results of runs other than those kept (the one being computed and
// the one served now); called until none are left.
MATCH (n:ReferrerScore)
WHERE NOT n.run_id IN $keep
WITH n LIMIT 10000
DELETE n
RETURN count(*) AS deleted
