// Benchmarks: how many member-identifier links are stored.
WITH COLLECT { MATCH (i:Import {status: 'writing'}) RETURN i.id } AS unpublished
MATCH (:Member)-[u:USES]->(:Identifier)
WHERE NOT coalesce(u.import_id, '') IN unpublished
RETURN count(u) AS n
