// One page of the members exactly $depth deep whose materialised path starts
// with the ancestor's path (served by the (depth, path) index), in id order.
MATCH (m:Member)
WHERE m.depth = $depth AND m.path STARTS WITH $prefix AND m.id > $after
WITH m ORDER BY m.id LIMIT $limit
WITH m, split(m.path, '/') AS ids
RETURN m.id AS id, ids[size(ids) - 3] AS sponsor_id, toString(m.joined_at) AS joined_at,
       m.status AS status
