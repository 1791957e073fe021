// Up to 10000 CycleReport results of earlier runs (called until none are left).
MATCH (n:CycleReport)
WHERE n.run_id <> $run_id
WITH n LIMIT 10000
DELETE n
RETURN count(*) AS deleted
