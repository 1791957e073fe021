// Store a new version of a reward rule (its canonical document as JSON); older versions
// stay for the runs that used them.
CREATE (r:RewardRule {id: $id, version: $version, document: $document, created_at: datetime()})
RETURN r.id AS id, r.version AS version, r.document AS document, toString(r.created_at) AS created_at
