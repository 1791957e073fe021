// Which of these (member, kind, hash) identifier links are stored, as one list.
WITH COLLECT { MATCH (i:Import {status: 'writing'}) RETURN i.id } AS unpublished
UNWIND $rows AS r
MATCH (:Member {id: r.member_id})-[u:USES]->(:Identifier {kind: r.kind, hash: r.hash})
WHERE NOT coalesce(u.import_id, '') IN unpublished
RETURN collect([r.member_id, r.kind, r.hash]) AS links
