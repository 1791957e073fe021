// Whether a member with this id is stored.
MATCH (m:Member {id: $id})
RETURN m.id AS id
