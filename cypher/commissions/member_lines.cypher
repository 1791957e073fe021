// One member's ledger lines in a run.
MATCH (c:Commission {run_id: $run_id, beneficiary_id: $member_id})
RETURN c.order_id AS order_id, c.level AS level, c.rate AS rate, c.amount_minor AS amount_minor,
       c.currency AS currency, c.kind AS kind, c.order_kind AS order_kind
ORDER BY c.order_id, c.level, c.kind
