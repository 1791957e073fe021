// What a reward run through $through evaluates: every referral (friend, sponsor, join
// time, referral status: null for an imported edge) of a friend joined by then, and each
// such friend's first order bought by the friend from its join to $through of at least
// $min_order in its currency (when it was refunded; an order imported as refunded counts
// as refunded when placed).  Unpublished imports are left out.
WITH COLLECT { MATCH (i:Import {status: 'writing'}) RETURN i.id } AS unpublished
CALL {
  MATCH (s:Member)-[r:REFERRED]->(f:Member)
  WHERE f.joined_at <= datetime($through)
  RETURN collect([f.id, s.id, f.joined_at, r.status]) AS referrals
}
CALL (unpublished) {
  MATCH (:Member)-[:REFERRED]->(f:Member)<-[:BOUGHT_BY]-(o:Order)
  WHERE o.at >= f.joined_at AND o.at <= datetime($through) AND NOT coalesce(o.import_id, '') IN unpublished
    AND o.amount_minor >= coalesce($min_order[o.currency], 0)
  WITH f, o
  ORDER BY o.at, o.id
  WITH f, head(collect(o)) AS o
  RETURN collect([o.id, f.id, o.amount_minor, o.currency, o.at,
                  CASE WHEN o.status = 'refunded' THEN coalesce(o.refunded_at, o.at) END]) AS orders
}
RETURN referrals, orders
