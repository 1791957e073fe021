// Which of these (member, kind, hash) identifier links are stored, as one list.
UNWIND $rows AS r
MATCH (:Member {id: r.member_id})-[:USES]->(:Identifier {kind: r.kind, hash: r.hash})
RETURN collect([r.member_id, r.kind, r.hash]) AS links
