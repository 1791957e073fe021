// Store a new plan version; older versions stay for the runs that used them.
CREATE (p:Plan {id: $id, version: $version, rates: $rates, compression: $compression,
                commissionable_kinds: $commissionable_kinds, created_at: datetime()})
RETURN p.id AS id, p.version AS version, p.rates AS rates, p.compression AS compression,
       p.commissionable_kinds AS commissionable_kinds, toString(p.created_at) AS created_at
