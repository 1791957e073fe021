// Remove up to $limit of the orders and identifier links an unfinished import wrote
// (never seen by readers), and identifiers that only they used; how many went.
CALL () {
  MATCH (o:Order {import_id: $id})
  WITH o LIMIT $limit
  DETACH DELETE o
  RETURN count(*) AS orders
}
CALL () {
  MATCH (:Member)-[u:USES {import_id: $id}]->(i:Identifier)
  WITH u, i LIMIT $limit
  DELETE u
  WITH DISTINCT i
  WHERE NOT EXISTS { (i)--() }
  DELETE i
  RETURN count(*) AS identifiers
}
RETURN orders + identifiers AS deleted
