// Mark a paid order refunded (a refunded one stays as it is); the order as it is now.
// The next commission run of the plan that paid it reverses its lines.
WITH COLLECT { MATCH (i:Import {status: 'writing'}) RETURN i.id } AS unpublished
MATCH (o:Order {id: $id})
WHERE NOT coalesce(o.import_id, '') IN unpublished
SET o.status = 'refunded'
RETURN o.id AS id, o.status AS status
