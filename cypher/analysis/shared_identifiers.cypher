// Identifiers used by two or more members, each with its members, in one record:
// an identifier only one member uses can link no one, so it is not projected.
MATCH (i:Identifier)
WHERE COUNT { (i)<-[:USES]-(:Member) } >= 2
RETURN collect([i.kind, i.hash, [(i)<-[:USES]-(m:Member) | m.id]]) AS rows
