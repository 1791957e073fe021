// Identifiers used by two or more members, each with its members' internal node ids,
// in one record: an identifier only one member uses can link no one, so it is not
// projected. USES only comes from members, so no label check (five times faster).
WITH COLLECT { MATCH (i:Import {status: 'writing'}) RETURN i.id } AS unpublished
MATCH (i:Identifier)
WHERE COUNT { (i)<-[:USES]-() } >= 2
WITH i, [(i)<-[u:USES]-(m) WHERE NOT coalesce(u.import_id, '') IN unpublished | id(m)] AS members
WHERE size(members) >= 2
WITH collect([i.kind, i.hash, members]) AS rows
// Aggregated first: with a literal beside it, no rows would give no record.
RETURN ['kind', 'hash', 'members'] AS columns, rows
