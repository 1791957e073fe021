// Reward lines no run has stored yet (the run compared its rule's stored keys under the
// rule's run lock, so no other writer makes them meanwhile), created whole: cheaper than
// MERGE on the key, which reward_line_key_unique still guards (a line made twice fails
// the run, and running it again merges).  Times come as epoch milliseconds.
UNWIND $lines AS l
CREATE (:RewardLine {key: l.key, run_id: $run_id, rule_id: $rule_id, rule_version: $rule_version,
                     event_id: l.event_id, kind: l.kind, beneficiary_id: l.beneficiary_id,
                     amount_minor: l.amount_minor, currency: l.currency, status: l.status, cap: l.cap,
                     badge: l.badge, at: datetime({epochMillis: l.at}), state: l.state,
                     approves_at: CASE WHEN l.approves_at IS NULL THEN null
                                  ELSE datetime({epochMillis: l.approves_at}) END})
