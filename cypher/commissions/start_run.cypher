// Create the run for a plan and period (or an adjustment run, which names the run it
// adjusts), or find the existing one (a rerun resumes it; a failed one runs again from
// where it stopped).
MERGE (r:CommissionRun {id: $id})
ON CREATE SET r.plan_id = $plan_id, r.plan_version = $plan_version, r.from = $from, r.to = $to,
              r.adjusts = $adjusts, r.status = 'running', r.started_at = datetime(), r.orders_done = 0
WITH r, r.status = 'failed' AS resumed
SET r.status = CASE WHEN resumed THEN 'running' ELSE r.status END,
    r.error = CASE WHEN resumed THEN null ELSE r.error END,
    r.finished_at = CASE WHEN resumed THEN null ELSE r.finished_at END
RETURN r.status AS status, r.plan_version AS plan_version
