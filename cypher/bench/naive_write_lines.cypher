// Benchmarks only: the naive path's ledger lines, kept apart from the real ledger.
UNWIND $lines AS l
MERGE (c:NaiveCommission {order_id: l.order_id, beneficiary_id: l.beneficiary_id, level: l.level})
ON CREATE SET c.amount_minor = l.amount_minor
