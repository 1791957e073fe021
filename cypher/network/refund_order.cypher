// Mark a paid order refunded at $at (a refunded one stays as it is); the order as it is now.
// The next commission run of the plan that paid it reverses its lines; rewards read the
// time (a refund inside a reward's holding period cancels it, a later one claws it back).
WITH COLLECT { MATCH (i:Import {status: 'writing'}) RETURN i.id } AS unpublished
MATCH (o:Order {id: $id})
WHERE NOT coalesce(o.import_id, '') IN unpublished
WITH o, o.status = 'paid' AS was_paid
SET o.status = 'refunded', o.refunded_at = CASE WHEN was_paid THEN datetime($at) ELSE o.refunded_at END
RETURN o.id AS id, o.status AS status, toString(o.refunded_at) AS refunded_at
