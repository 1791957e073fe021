// Included (not run alone) by the queries that write a ledger batch, after rows holding
// `line` (order_id, seller_id, beneficiary_id, level, amount, rate, currency, order_kind,
// order_month).  Writes the batch's record, naming every order it settled (a resumed run
// skips them; (run_id, batch) is unique), and one statement part per beneficiary holding
// that beneficiary's lines (by order and level) as parallel lists with their sums per currency, order kind and
// month (which completion adds up).  A batch's orders are neighbours in the tree, so its
// lines go to few beneficiaries: parts are far fewer than lines.
WITH collect(line) AS lines
CREATE (:LedgerBatch {run_id: $run_id, batch: $batch, kind: $kind, generation: $generation,
                      reverses_run_id: $reverses_run_id, order_ids: $order_ids, lines: size(lines),
                      created_at: datetime()})
WITH lines
CALL (lines) {
  UNWIND lines AS line
  WITH line
  ORDER BY line.order_id, line.level
  WITH line.beneficiary_id AS beneficiary_id, collect(line) AS mine
  CALL (mine) {
    UNWIND mine AS line
    WITH line.currency AS currency, line.order_kind AS order_kind, line.order_month AS order_month,
         sum(line.amount) AS amount, count(*) AS n
    RETURN collect({currency: currency, order_kind: order_kind, order_month: order_month, amount: amount, n: n}) AS sums
  }
  CREATE (:StatementPart {run_id: $run_id, beneficiary_id: beneficiary_id, batch: $batch, kind: $kind,
                          generation: $generation, reverses_run_id: $reverses_run_id,
                          order_ids: [l IN mine | l.order_id], seller_ids: [l IN mine | l.seller_id],
                          levels: [l IN mine | l.level], amounts: [l IN mine | l.amount], rates: [l IN mine | l.rate],
                          currencies: [l IN mine | l.currency], order_kinds: [l IN mine | l.order_kind],
                          order_months: [l IN mine | l.order_month],
                          sum_currencies: [s IN sums | s.currency], sum_order_kinds: [s IN sums | s.order_kind],
                          sum_order_months: [s IN sums | s.order_month], sum_amounts: [s IN sums | s.amount],
                          sum_lines: [s IN sums | s.n]})
}
RETURN size(lines) AS lines
