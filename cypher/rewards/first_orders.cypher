// Each referred friend's first order (earliest, then by id) bought by the friend from its
// join to $through of at least $min_order in its currency, in one record of columns: order,
// buyer, amount, currency, time and when it was refunded (epoch ms; -1 when not refunded;
// an order imported as refunded counts as refunded when placed).  Unpublished imports are
// left out.  Only friends of part $part of $parts (by node id), so that several readers
// share the work.
WITH COLLECT { MATCH (i:Import {status: 'writing'}) RETURN i.id } AS unpublished
MATCH (f:Member)
WHERE id(f) % $parts = $part AND f.joined_at <= datetime($through)
  AND EXISTS { (:Member)-[:REFERRED]->(f) }
CALL (f, unpublished) {
  MATCH (f)<-[:BOUGHT_BY]-(o:Order)
  WHERE o.at >= f.joined_at AND o.at <= datetime($through) AND NOT coalesce(o.import_id, '') IN unpublished
    AND o.amount_minor >= coalesce($min_order[o.currency], 0)
  RETURN o
  ORDER BY o.at, o.id
  LIMIT 1
}
RETURN collect(o.id) AS id, collect(f.id) AS buyer, collect(o.amount_minor) AS amount, collect(o.currency) AS currency,
       collect(o.at.epochMillis) AS at,
       collect(CASE WHEN o.status = 'refunded' THEN coalesce(o.refunded_at, o.at).epochMillis ELSE -1 END) AS refunded
