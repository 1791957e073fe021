// Every version of a plan, oldest first.
MATCH (p:Plan {id: $id})
RETURN p.id AS id, p.version AS version, p.rates AS rates, p.compression AS compression,
       p.commissionable_kinds AS commissionable_kinds, toString(p.created_at) AS created_at
ORDER BY p.version
