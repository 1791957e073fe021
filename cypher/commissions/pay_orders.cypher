// Ledger lines for a batch of orders: rates[k] of each amount goes to the seller's
// (k+1)-th eligible upline member.  The upline is the seller's materialised path
// read backwards.  With compression, members who are not active are skipped and
// do not use up a level; without it, a level whose member is not active is not paid.
// Amounts stay integers: amount_minor * rate_ppm / rate_scale, rounded half-even.
UNWIND $order_ids AS order_id
MATCH (seller:Member)-[:SOLD]->(o:Order {id: order_id})
WITH o, reverse([x IN split(seller.path, '/') WHERE x <> ''])[1..] AS upline_ids
CALL (upline_ids) {
  UNWIND range(0, size(upline_ids) - 1) AS i
  MATCH (u:Member {id: upline_ids[i]})
  WITH i, u ORDER BY i
  RETURN collect(u) AS upline
}
WITH o, CASE WHEN $compression THEN [u IN upline WHERE u.status = 'active'] ELSE upline END AS chain
UNWIND range(0, size($rates_ppm) - 1) AS k
WITH o, k, chain[k] AS u, o.amount_minor * $rates_ppm[k] AS product
WHERE u IS NOT NULL AND u.status = 'active' AND product > 0
WITH o, k, u, product / $rate_scale AS whole, product % $rate_scale AS rest
WITH o, k, u, whole + CASE WHEN 2 * rest > $rate_scale THEN 1
                           WHEN 2 * rest = $rate_scale THEN whole % 2
                           ELSE 0 END AS amount
WHERE amount > 0
MERGE (c:Commission {order_id: o.id, beneficiary_id: u.id, level: k + 1, kind: 'commission'})
ON CREATE SET c.run_id = $run_id, c.amount_minor = amount, c.rate = $rates[k],
              c.currency = o.currency, c.order_kind = o.kind, c.order_month = o.at.year * 100 + o.at.month,
              c.created_at = datetime()
RETURN count(c) AS lines
