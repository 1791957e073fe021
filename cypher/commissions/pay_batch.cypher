// One ledger batch: what the plan owes on these orders (rates[k] of an order's amount to
// its seller's (k+1)-th eligible upline member, for orders of $kinds) less what $paid
// (order id -> lines an earlier run paid; empty in a first run) says was paid, as lines
// of $kind and $generation where the two differ; negative in an adjustment run where the
// new version pays less.  Each seller's upline (its materialised path read backwards) is
// resolved once per batch.  With compression, members who are not active are skipped and
// do not use up a level; without it, a level whose member is not active is not paid.
// Integers throughout: amount_minor * rate_ppm / rate_scale, half-even.
UNWIND $order_ids AS order_id
MATCH (seller:Member)-[:SOLD]->(o:Order {id: order_id})
WITH seller, collect(o) AS orders
CALL (seller) {
  WITH seller, reverse([x IN split(seller.path, '/') WHERE x <> ''])[1..] AS upline_ids
  // Walking REFERRED up is faster than looking each id up; the materialised path stays
  // the upline (a walk that strays from it, in data with two sponsors, is dropped).
  MATCH walk = (u:Member)-[:REFERRED*1..]->(seller)
  WITH length(walk) - 1 AS i, u, upline_ids
  WHERE u.id = upline_ids[i] AND ($compression OR i < $levels) AND (NOT $compression OR u.status = 'active')
  // A walk up one chain yields its members nearest first, so LIMIT stops the walk at the
  // last level (no sort, which would walk to the root); DISTINCT drops a member reached
  // twice at one distance (two sponsors).  Tests and the benchmark's floor check this.
  WITH DISTINCT i, u
  LIMIT $levels
  RETURN collect({i: i, u: u}) AS found
}
WITH seller, orders, [f IN found | {u: f.u, level: CASE WHEN $compression THEN size([g IN found WHERE g.i < f.i]) + 1
                                                        ELSE f.i + 1 END}] AS chain
UNWIND orders AS o
CALL (o, chain) {
  UNWIND chain AS c
  WITH c, o.amount_minor * $rates_ppm[c.level - 1] AS product
  WHERE o.kind IN $kinds AND c.u.status = 'active' AND product > 0
  WITH c, product / $rate_scale AS whole, product % $rate_scale AS rest
  WITH c, whole + CASE WHEN 2 * rest > $rate_scale THEN 1
                       WHEN 2 * rest = $rate_scale THEN whole % 2
                       ELSE 0 END AS amount
  WHERE amount > 0
  RETURN collect({key: [c.u.id, c.level], amount: amount, rate: $rates[c.level - 1]}) AS owed
}
WITH seller, o, owed, coalesce($paid[o.id], []) AS paid
// Every (beneficiary, level) owed or paid, once.
WITH seller, o, owed, paid,
     reduce(keys = [], key IN [x IN owed + paid | x.key] | CASE WHEN key IN keys THEN keys ELSE keys + [key] END) AS keys
UNWIND keys AS key
WITH seller, o, key, head([x IN owed WHERE x.key = key]) AS due,
     reduce(s = 0, x IN paid | s + CASE WHEN x.key = key THEN x.amount ELSE 0 END) AS already
WITH seller, o, key, due, coalesce(due.amount, 0) - already AS amount
WHERE amount <> 0
WITH {order_id: o.id, seller_id: seller.id, beneficiary_id: key[0], level: key[1], amount: amount,
      rate: coalesce(due.rate, '0'), currency: o.currency, order_kind: o.kind,
      order_month: o.at.year * 100 + o.at.month} AS line
// include commissions/write_batch
