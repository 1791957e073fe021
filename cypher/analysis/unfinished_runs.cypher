// Runs queued or running that were created within the last $hours: another process
// may be writing their results. An older one was cut off (its process died), and its
// partial results are removed like any others no one serves.
MATCH (r:AnalysisRun)
WHERE r.status IN ['queued', 'running'] AND r.created_at > datetime() - duration({hours: $hours})
RETURN r.id AS id
