// A page of one member's ledger lines in a run, in (order, level, kind, generation)
// order after the cursor's line (from the start when $after is null), read in order
// from commission_run_beneficiary_order.
MATCH (c:Commission)
WHERE c.run_id = $run_id AND c.beneficiary_id = $member_id AND c.order_id >= coalesce($after.order_id, '')
  AND ($after IS NULL OR c.order_id > $after.order_id
       OR (c.order_id = $after.order_id AND (c.level > $after.level
           OR (c.level = $after.level AND (c.kind > $after.kind
               OR (c.kind = $after.kind AND c.generation > $after.generation))))))
RETURN c.order_id AS order_id, c.level AS level, c.kind AS kind, c.generation AS generation, c.rate AS rate,
       c.amount_minor AS amount_minor, c.currency AS currency, c.order_kind AS order_kind
// The run and beneficiary lead the ORDER BY so the index gives the order (no sort).
ORDER BY c.run_id, c.beneficiary_id, c.order_id, c.level, c.kind, c.generation
LIMIT $limit
