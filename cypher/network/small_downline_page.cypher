// One page of a small downline in a single query: everyone below the prefix (served
// by the path index) down to $to_depth, in (depth, id) order, after a cursor position.
MATCH (m:Member)
WHERE m.path STARTS WITH $prefix AND m.depth > $from_depth AND m.depth <= $to_depth
  AND (m.depth > $cursor_depth OR (m.depth = $cursor_depth AND m.id > $after))
WITH m ORDER BY m.depth, m.id LIMIT $limit
WITH m, split(m.path, '/') AS ids
RETURN m.id AS id, m.depth AS depth, ids[size(ids) - 3] AS sponsor_id, toString(m.joined_at) AS joined_at,
       m.status AS status
