// Reward lines as a run evaluated them, by key: created once, then their status (and
// what else a later run sees differently) updated; each marked with the run.
UNWIND $lines AS l
MERGE (x:RewardLine {key: l.key})
SET x += {rule_id: $rule_id, rule_version: $rule_version, run_id: $run_id, event_id: l.event_id, kind: l.kind,
          beneficiary_id: l.beneficiary_id, amount_minor: l.amount_minor, currency: l.currency,
          status: l.status, cap: l.cap, badge: l.badge, at: datetime(l.at),
          approves_at: CASE WHEN l.approves_at IS NULL THEN null ELSE datetime(l.approves_at) END}
