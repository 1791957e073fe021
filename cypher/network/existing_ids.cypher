// Which of these member ids are stored.
UNWIND $ids AS id
MATCH (m:Member {id: id})
RETURN m.id AS id
