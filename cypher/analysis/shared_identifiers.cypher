// Identifiers used by two or more members, each with its members' internal node ids,
// in one record: an identifier only one member uses can link no one, so it is not
// projected. USES only comes from members, so no label check (five times faster).
MATCH (i:Identifier)
WHERE COUNT { (i)<-[:USES]-() } >= 2
WITH collect([i.kind, i.hash, [(i)<-[:USES]-(m) | id(m)]]) AS rows
// Aggregated first: with a literal beside it, no rows would give no record.
RETURN ['kind', 'hash', 'members'] AS columns, rows
