// One member's statement parts in a run from batch $after_batch on (the batch order is
// the statement's), read in order from statement_part_key_unique; the caller slices
// lines from them.
MATCH (p:StatementPart)
WHERE p.run_id = $run_id AND p.beneficiary_id = $member_id AND p.batch >= $after_batch
RETURN p.batch AS batch, p.kind AS kind, p.order_ids AS order_ids, p.levels AS levels, p.rates AS rates,
       p.amounts AS amounts, p.currencies AS currencies, p.order_kinds AS order_kinds
// The run and beneficiary lead the ORDER BY so the index gives the order (no sort).
ORDER BY p.run_id, p.beneficiary_id, p.batch
LIMIT $parts
