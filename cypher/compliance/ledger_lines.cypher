// Ledger lines (reversals included) of the commission runs whose periods fall inside
// [from, to), paid to members below a path prefix, with the month of the order paid
// on, as rows in one record.
MATCH (r:CommissionRun)
WHERE r.from >= $from AND r.to <= $to
MATCH (c:Commission {run_id: r.id})
MATCH (o:Order {id: c.order_id})
MATCH (b:Member {id: c.beneficiary_id})
WHERE b.path STARTS WITH $prefix
RETURN collect([c.beneficiary_id, c.amount_minor, c.order_kind, o.at.year * 100 + o.at.month,
                c.currency]) AS rows
