// Which of these order ids are stored, as one list (one record, not one per id).
UNWIND $ids AS id
MATCH (o:Order {id: id})
RETURN collect(o.id) AS ids
