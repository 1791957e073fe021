// Every sponsor -> recruit edge as stored (cycles and extra sponsors included), by
// internal node id, in one record of columns. REFERRED only joins members, so the
// recruit's label is not checked (that check doubles the time).
MATCH (s:Member)-[:REFERRED]->(m)
RETURN collect(id(s)) AS sponsor, collect(id(m)) AS recruit
