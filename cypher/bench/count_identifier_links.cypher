// Benchmarks: how many member-identifier links are stored.
MATCH (:Member)-[u:USES]->(:Identifier)
RETURN count(u) AS n
