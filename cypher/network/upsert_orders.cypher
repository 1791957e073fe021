// Update stored orders (a refund arrives as a re-import), with their seller and participant buyer.
UNWIND $rows AS r
MERGE (o:Order {id: r.id})
SET o.amount = r.amount, o.amount_minor = r.amount_minor, o.currency = r.currency,
    o.kind = r.kind, o.at = datetime(r.at), o.status = r.status, o.customer_hash = r.customer_hash
WITH o, r
CALL (o, r) {
  OPTIONAL MATCH (x:Member)-[old:SOLD]->(o) WHERE x.id <> r.seller_id
  DELETE old
}
CALL (o, r) {
  OPTIONAL MATCH (o)-[old:BOUGHT_BY]->(x:Member) WHERE x.id <> coalesce(r.buyer_id, '')
  DELETE old
}
WITH o, r
MATCH (seller:Member {id: r.seller_id})
MERGE (seller)-[:SOLD]->(o)
WITH o, r
WHERE r.buyer_id IS NOT NULL
MATCH (buyer:Member {id: r.buyer_id})
MERGE (o)-[:BOUGHT_BY]->(buyer)
