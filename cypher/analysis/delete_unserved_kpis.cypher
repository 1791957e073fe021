// Up to 10000 KPI results of runs other than those kept; called until none are left.
MATCH (k:KpiReport)
WHERE NOT k.run_id IN $keep
WITH k LIMIT 10000
DELETE k
RETURN count(*) AS deleted
