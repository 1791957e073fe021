// Ledger amounts (reversals included) of the complete commission runs whose periods
// fall inside [from, to), paid to members below a path prefix, summed per beneficiary
// (internal node id), kind of order paid on, its month and currency, in one record; and
// the currencies seen. Read from each run's statements, not its lines.
MATCH (r:CommissionRun)
WHERE r.from >= $from AND r.to <= $to AND r.status = 'complete'
MATCH (s:Statement)
WHERE s.run_id = r.id AND s.beneficiary_id IS NOT NULL AND s.currency IS NOT NULL
UNWIND range(0, size(s.amounts) - 1) AS i
WITH s.beneficiary_id AS beneficiary, s.order_kinds[i] AS kind, s.order_months[i] AS month, s.currency AS currency,
     sum(s.amounts[i]) AS amount
MATCH (b:Member {id: beneficiary})
WHERE b.path STARTS WITH $prefix
WITH collect([id(b), amount, kind, month, currency]) AS rows, collect(DISTINCT currency) AS currencies
// Aggregated first: with a literal beside it, no rows would give no record.
RETURN ['beneficiary', 'amount', 'order_kind', 'month', 'currency'] AS columns, rows, currencies
