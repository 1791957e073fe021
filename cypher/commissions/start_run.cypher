// Create the run for a plan and period, or find the existing one (a rerun resumes it).
MERGE (r:CommissionRun {id: $id})
ON CREATE SET r.plan_id = $plan_id, r.plan_version = $plan_version, r.from = $from, r.to = $to,
              r.status = 'running', r.started_at = datetime(), r.orders_done = 0
RETURN r.status AS status, r.plan_version AS plan_version
