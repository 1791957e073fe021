// Up to 10000 compliance results (programme figures and branches) of runs other
// than those kept; called until none are left.
MATCH (n)
WHERE (n:ComplianceReport OR n:ComplianceBranch) AND NOT n.run_id IN $keep
WITH n LIMIT 10000
DELETE n
RETURN count(*) AS deleted
