// Commissions earned on these sellers' orders, by beneficiary.
WITH COLLECT { MATCH (i:Import {status: 'writing'}) RETURN i.id } AS unpublished
UNWIND $sellers AS seller_id
MATCH (:Member {id: seller_id})-[:SOLD]->(o:Order)
WHERE NOT coalesce(o.import_id, '') IN unpublished
MATCH (c:Commission {order_id: o.id})
RETURN seller_id AS seller, c.beneficiary_id AS beneficiary, sum(c.amount_minor) AS amount
