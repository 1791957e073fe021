// Ledger lines for a batch of orders: what the plan owes on each order (rates[k] of its
// amount to the seller's (k+1)-th eligible upline member, for orders of $kinds) less what
// the runs $runs already paid on it, written as lines of $kind and $generation where the
// two differ.  In a run, $runs is the run itself (a resumed run only fills gaps) and the
// lines are commissions; in an adjustment run, they are the plan's runs of the period and
// the lines adjustments, negative where the new version pays less.  The upline is the
// seller's materialised path read backwards.  With compression, members who are not
// active are skipped and do not use up a level; without it, a level whose member is not
// active is not paid.  Integers throughout: amount_minor * rate_ppm / rate_scale, half-even.
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
CALL (o, chain) {
  UNWIND range(0, size($rates_ppm) - 1) AS k
  WITH k, chain[k] AS u, o.amount_minor * $rates_ppm[k] AS product
  WHERE o.kind IN $kinds AND u IS NOT NULL AND u.status = 'active' AND product > 0
  WITH k, u, product / $rate_scale AS whole, product % $rate_scale AS rest
  WITH k, u, whole + CASE WHEN 2 * rest > $rate_scale THEN 1
                          WHEN 2 * rest = $rate_scale THEN whole % 2
                          ELSE 0 END AS amount
  WHERE amount > 0
  RETURN collect({key: [u.id, k + 1], amount: amount, rate: $rates[k]}) AS owed
}
CALL (o) {
  MATCH (c:Commission {order_id: o.id})
  WHERE c.run_id IN $runs AND c.kind IN ['commission', 'adjustment']
  RETURN collect({key: [c.beneficiary_id, c.level], amount: c.amount_minor}) AS paid
}
UNWIND [x IN owed + paid | x.key] AS key
WITH DISTINCT o, owed, paid, key
WITH o, key, [x IN owed WHERE x.key = key] AS due,
     reduce(s = 0, x IN [y IN paid WHERE y.key = key] | s + x.amount) AS already
WITH o, key, head(due) AS due, coalesce(head(due).amount, 0) - already AS amount
WHERE amount <> 0
MERGE (c:Commission {order_id: o.id, beneficiary_id: key[0], level: key[1], kind: $kind, generation: $generation})
ON CREATE SET c.run_id = $run_id, c.amount_minor = amount, c.rate = coalesce(due.rate, '0'),
              c.currency = o.currency, c.order_kind = o.kind, c.order_month = o.at.year * 100 + o.at.month,
              c.created_at = datetime()
RETURN count(c) AS lines
