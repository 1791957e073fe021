// Make up to $limit of an import's staged orders visible; how many (run until 0, in the
// import's publishing transaction).  Order ids are unique from here on, by constraint.
MATCH (o:StagedOrder {import_id: $import_id})
WITH o LIMIT $limit
SET o:Order
REMOVE o:StagedOrder, o.import_id
RETURN count(o) AS published
