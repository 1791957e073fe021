// The newest complete run that produced results of this kind.
MATCH (r:AnalysisRun)
WHERE r.status = 'complete' AND r.kind IN [$kind, 'all']
RETURN r.id AS id
ORDER BY r.finished_at DESC
LIMIT 1
