// Create orders that are not stored yet, with their seller and participant buyer.
UNWIND $rows AS r
MATCH (seller:Member {id: r.seller_id})
CREATE (seller)-[:SOLD]->(o:Order {id: r.id, amount: r.amount, amount_minor: r.amount_minor,
                                   currency: r.currency, kind: r.kind, at: datetime(r.at),
                                   status: r.status, customer_hash: r.customer_hash})
WITH o, r
WHERE r.buyer_id IS NOT NULL
MATCH (buyer:Member {id: r.buyer_id})
CREATE (o)-[:BOUGHT_BY]->(buyer)
