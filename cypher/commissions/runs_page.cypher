// Commission runs newest first (by start), after the cursor's (at, id), optionally of
// one plan and one status.
MATCH (r:CommissionRun)
WHERE ($plan_id IS NULL OR r.plan_id = $plan_id) AND ($status IS NULL OR r.status = $status)
  AND ($before_at IS NULL OR r.started_at < datetime($before_at)
       OR (r.started_at = datetime($before_at) AND r.id < $before_id))
RETURN r.id AS id, toString(r.started_at) AS at
ORDER BY r.started_at DESC, r.id DESC
LIMIT $limit
