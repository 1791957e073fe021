// Mark a run complete.
MATCH (r:CommissionRun {id: $id})
SET r.status = 'complete', r.finished_at = coalesce(r.finished_at, datetime())
