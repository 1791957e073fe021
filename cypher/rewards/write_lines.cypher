// Reward lines as a run evaluated them, by key: created once, then their status (and
// what else a later run sees differently) updated; each marked with the run.  A line in a
// payout batch is settled: only the run mark changes (a later refund adds a clawback).
UNWIND $lines AS l
MERGE (x:RewardLine {key: l.key})
SET x.run_id = $run_id
WITH x, l
WHERE x.payout_id IS NULL
SET x += {rule_id: $rule_id, rule_version: $rule_version, event_id: l.event_id, kind: l.kind,
          beneficiary_id: l.beneficiary_id, amount_minor: l.amount_minor, currency: l.currency,
          status: l.status, cap: l.cap, badge: l.badge, at: datetime(l.at),
          approves_at: CASE WHEN l.approves_at IS NULL THEN null ELSE datetime(l.approves_at) END}
