// Up to 100 blocks of ReferrerScores results of runs other than those kept (the one being
// computed and the one served now); called until none are left.
MATCH (n:ReferrerScores)
WHERE NOT n.run_id IN $keep
WITH n LIMIT 100
DELETE n
RETURN count(*) AS deleted
