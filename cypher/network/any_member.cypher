// Whether any member is stored (an empty database gets demo data).
MATCH (m:Member)
RETURN m.id AS id
LIMIT 1
