// Mark runs complete and, in the same transaction, write their statements: per
// beneficiary and currency, the total, the line count and the amounts per kind and month
// of the order paid on (what statements, exports and compliance read instead of lines),
// and the run's totals per currency on its record.  A run that has its statements is left
// alone (and statement_key_unique refuses a second statement for the same key).
UNWIND $ids AS id
MATCH (r:CommissionRun {id: id})
WHERE r.statements_at IS NULL
CALL (r) {
  MATCH (p:StatementPart {run_id: r.id})
  UNWIND range(0, size(p.sum_amounts) - 1) AS i
  WITH p.beneficiary_id AS beneficiary_id, p.sum_currencies[i] AS currency, p.sum_order_kinds[i] AS order_kind,
       p.sum_order_months[i] AS order_month, sum(p.sum_amounts[i]) AS amount, sum(p.sum_lines[i]) AS lines
  ORDER BY order_kind, order_month
  WITH beneficiary_id, currency, collect({kind: order_kind, month: order_month, amount: amount}) AS parts,
       sum(amount) AS total, sum(lines) AS lines
  CREATE (:Statement {run_id: r.id, beneficiary_id: beneficiary_id, currency: currency, total_minor: total,
                      lines: lines, order_kinds: [x IN parts | x.kind], order_months: [x IN parts | x.month],
                      amounts: [x IN parts | x.amount]})
  WITH currency, sum(total) AS total, sum(lines) AS lines
  ORDER BY currency
  RETURN collect(currency) AS currencies, collect(total) AS totals, collect(lines) AS lines
}
SET r.status = 'complete', r.finished_at = coalesce(r.finished_at, datetime()), r.statements_at = datetime(),
    r.currencies = currencies, r.totals_minor = totals, r.lines_by_currency = lines
