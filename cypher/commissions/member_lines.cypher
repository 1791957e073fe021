// One member's statement parts in a run from batch $after_batch on (the batch order is
// the statement's), read in order from statement_part_key_unique, each cut to at most
// $wanted lines from `first` ($skip in part $after_batch, 0 after it), with its size.
MATCH (p:StatementPart)
WHERE p.run_id = $run_id AND p.beneficiary_id = $member_id AND p.batch >= $after_batch
WITH p, CASE WHEN p.batch = $after_batch THEN $skip ELSE 0 END AS first
// The run and beneficiary lead the ORDER BY so the index gives the order (no sort).
ORDER BY p.run_id, p.beneficiary_id, p.batch
LIMIT $parts
RETURN p.batch AS batch, p.kind AS kind, first, size(p.order_ids) AS size,
       p.order_ids[first..first + $wanted] AS order_ids, p.levels[first..first + $wanted] AS levels,
       p.rates[first..first + $wanted] AS rates, p.amounts[first..first + $wanted] AS amounts,
       p.currencies[first..first + $wanted] AS currencies, p.order_kinds[first..first + $wanted] AS order_kinds
