// Benchmarks only: one run's lines written again in the ledger's older shape (a node per
// line behind its uniqueness constraint and indexes), to measure what that shape stores.
MATCH (p:StatementPart {run_id: $run_id})
UNWIND range(0, size(p.order_ids) - 1) AS i
CALL (p, i) {
  CREATE (:Commission {order_id: p.order_ids[i], beneficiary_id: p.beneficiary_id, level: p.levels[i], kind: p.kind,
                       generation: p.generation, run_id: 'older-' + p.run_id, amount_minor: p.amounts[i],
                       rate: p.rates[i], currency: p.currencies[i], order_kind: p.order_kinds[i],
                       order_month: p.order_months[i], created_at: datetime()})
} IN TRANSACTIONS OF 20000 ROWS
