// Record an import that starts (checking, then writing); its staged rows carry its id.
CREATE (i:Import {id: $id, kind: $kind, status: 'writing', at: datetime()})
