// Move a run along: status, progress, and its error when it failed.
MATCH (r:AnalysisRun {id: $id})
SET r.status = $status, r.progress = $progress, r.error = $error,
    r.started_at = CASE WHEN $status = 'running' THEN coalesce(r.started_at, datetime()) ELSE r.started_at END,
    r.finished_at = CASE WHEN $status IN ['complete', 'failed'] THEN datetime() ELSE r.finished_at END
