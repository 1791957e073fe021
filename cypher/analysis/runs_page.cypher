// Analysis runs newest first (by creation), after the cursor's (at, id), optionally of
// one kind and one status.
MATCH (r:AnalysisRun)
WHERE ($kind IS NULL OR r.kind = $kind) AND ($status IS NULL OR r.status = $status)
  AND ($before_at IS NULL OR r.created_at < datetime($before_at)
       OR (r.created_at = datetime($before_at) AND r.id < $before_id))
RETURN r.id AS id, toString(r.created_at) AS at
ORDER BY r.created_at DESC, r.id DESC
LIMIT $limit
