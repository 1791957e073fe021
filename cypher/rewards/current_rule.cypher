// A reward rule's newest version.
MATCH (r:RewardRule {id: $id})
RETURN r.id AS id, r.version AS version, r.document AS document, toString(r.created_at) AS created_at
ORDER BY r.version DESC
LIMIT 1
