// Every plan's newest version with the numbers of all its versions, by plan id.
MATCH (p:Plan)
WITH p ORDER BY p.version
WITH p.id AS id, collect(p) AS versions
WITH id, versions, last(versions) AS p
RETURN p.id AS id, p.version AS version, p.rates AS rates, p.compression AS compression,
       p.commissionable_kinds AS commissionable_kinds, toString(p.created_at) AS created_at,
       [v IN versions | v.version] AS versions
ORDER BY id
LIMIT $limit
