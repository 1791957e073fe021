// Create an import's new orders, with their seller and participant buyer, tagged with the
// import: readers skip orders of imports still writing (see imports/create.cypher).
UNWIND $rows AS r
MATCH (seller:Member {id: r.seller_id})
CREATE (seller)-[:SOLD]->(o:Order {id: r.id, amount: r.amount, amount_minor: r.amount_minor,
                                   currency: r.currency, kind: r.kind, at: datetime(r.at),
                                   status: r.status, customer_hash: r.customer_hash,
                                   import_id: $import_id})
WITH o, r
WHERE r.buyer_id IS NOT NULL
MATCH (buyer:Member {id: r.buyer_id})
CREATE (o)-[:BOUGHT_BY]->(buyer)
