// Import records newest first, after the cursor's (at, id).
MATCH (i:Import)
WHERE $before_at IS NULL OR i.at < datetime($before_at)
   OR (i.at = datetime($before_at) AND i.id < $before_id)
RETURN i.id AS id, toString(i.at) AS at, i.kind AS kind, i.status AS status, i.rows AS rows,
       i.created AS created, i.unchanged AS unchanged, i.changed AS changed, i.error AS error,
       toString(i.finished_at) AS finished_at
ORDER BY i.at DESC, i.id DESC
LIMIT $limit
