// A page of the ids that start with $prefix, in order, after $after (through the unique
// index on the member id).
MATCH (m:Member)
WHERE m.id STARTS WITH $prefix AND m.id > $after
RETURN m.id AS id
ORDER BY m.id
LIMIT $limit
