// Ledger lines (reversals included) of the commission runs whose periods fall
// inside [from, to), paid to members below a path prefix, summed per beneficiary
// (internal node id), kind of order paid on and its month, in one record; and the
// currencies seen.
MATCH (r:CommissionRun)
WHERE r.from >= $from AND r.to <= $to
MATCH (c:Commission {run_id: r.id})
WITH c.beneficiary_id AS beneficiary, c.order_kind AS kind, c.order_month AS month, c.currency AS currency,
     sum(c.amount_minor) AS amount
MATCH (b:Member {id: beneficiary})
WHERE b.path STARTS WITH $prefix
RETURN collect([id(b), amount, kind, month]) AS rows, collect(DISTINCT currency) AS currencies
