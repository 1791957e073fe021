// Which of these member ids are stored, as one list (one record, not one per id).
UNWIND $ids AS id
MATCH (m:Member {id: id})
RETURN collect(m.id) AS ids
