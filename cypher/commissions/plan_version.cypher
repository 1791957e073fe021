// One version of a plan.
MATCH (p:Plan {id: $id, version: $version})
RETURN p.id AS id, p.version AS version, p.rates AS rates, p.compression AS compression,
       p.commissionable_kinds AS commissionable_kinds, toString(p.created_at) AS created_at
