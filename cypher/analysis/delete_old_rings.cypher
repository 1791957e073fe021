// Up to 10000 Ring results of earlier runs (called until none are left).
MATCH (n:Ring)
WHERE n.run_id <> $run_id
WITH n LIMIT 10000
DELETE n
RETURN count(*) AS deleted
