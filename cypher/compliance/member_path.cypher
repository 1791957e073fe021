// A member's materialised path.
MATCH (m:Member {id: $id})
RETURN m.path AS path
