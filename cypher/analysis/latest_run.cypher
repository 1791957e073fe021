// The newest complete run that produced results of one of these kinds.
MATCH (r:AnalysisRun)
WHERE r.status = 'complete' AND r.kind IN $kinds
RETURN r.id AS id
ORDER BY r.finished_at DESC
LIMIT 1
