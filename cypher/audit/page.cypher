// Audit events newest first, after the cursor's (at, id).
MATCH (a:AuditEvent)
WHERE $before_at IS NULL OR a.at < datetime($before_at)
   OR (a.at = datetime($before_at) AND a.id < $before_id)
RETURN a.id AS id, toString(a.at) AS at, a.key_id AS key_id, a.role AS role,
       a.action AS action, a.target AS target, a.outcome AS outcome, a.detail AS detail
ORDER BY a.at DESC, a.id DESC
LIMIT $limit
