// Remove up to $limit of an import's staged rows (orders and identifier links, never
// seen by readers), and identifiers that only they used; how many went.
CALL () {
  MATCH (o:StagedOrder {import_id: $id})
  WITH o LIMIT $limit
  DETACH DELETE o
  RETURN count(*) AS orders
}
CALL () {
  MATCH (:Member)-[s:STAGED_USES {import_id: $id}]->(i:Identifier)
  WITH s, i LIMIT $limit
  DELETE s
  WITH DISTINCT i
  WHERE NOT EXISTS { (i)--() }
  DELETE i
  RETURN count(*) AS identifiers
}
RETURN orders + identifiers AS deleted
