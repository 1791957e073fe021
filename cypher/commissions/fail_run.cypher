// A run that stopped on an error: failed, with the reason. Rerunning the plan and
// period resumes it (its lines so far stay; nothing is paid twice).
MATCH (r:CommissionRun {id: $id})
SET r.status = 'failed', r.error = $error, r.finished_at = datetime()
