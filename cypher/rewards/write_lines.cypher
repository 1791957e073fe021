// Reward lines a run evaluated differently from what is stored (or not stored yet), by
// key: created once, then their status (and what else a run sees differently) updated,
// each marked with the run and its state (what the next run compares); times come as
// epoch milliseconds.  A line in a payout batch is settled and left alone (a later refund
// adds a clawback).  Returns the lines that were stored already, with what they held
// before (read under the line's write lock, which the first SET takes), for the totals.
UNWIND $lines AS l
MERGE (x:RewardLine {key: l.key})
SET x.run_id = $run_id
WITH x, l, x.payout_id IS NOT NULL AS settled, x.beneficiary_id IS NULL AS created,
     [x.beneficiary_id, x.currency, x.status, x.amount_minor] AS old
FOREACH (_ IN CASE WHEN settled THEN [] ELSE [1] END |
  SET x += {rule_id: $rule_id, rule_version: $rule_version, event_id: l.event_id, kind: l.kind,
            beneficiary_id: l.beneficiary_id, amount_minor: l.amount_minor, currency: l.currency,
            status: l.status, cap: l.cap, badge: l.badge, at: datetime({epochMillis: l.at}), state: l.state,
            approves_at: CASE WHEN l.approves_at IS NULL THEN null ELSE datetime({epochMillis: l.approves_at}) END})
WITH l, settled, old
WHERE NOT created
RETURN l.key AS key, settled, old[0] AS member_id, old[1] AS currency, old[2] AS status, old[3] AS amount
