// Record an import that starts (checking, then writing).  The orders and identifier links
// it writes carry its id, and every reader of them skips the ids of imports still
// 'writing', with
//   WITH COLLECT { MATCH (i:Import {status: 'writing'}) RETURN i.id } AS unpublished
//   ... WHERE NOT coalesce(o.import_id, '') IN unpublished
// so they become visible together when the import's last transaction marks it complete.
CREATE (i:Import {id: $id, kind: $kind, status: 'writing', at: datetime()})
