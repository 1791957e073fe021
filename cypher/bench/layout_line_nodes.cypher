// Reward lines written as nodes of their own like write_lines' (same properties), but
// created under a scratch label with no index: the floor of a node per line.
UNWIND $lines AS l
CREATE (:BenchLayoutLine {key: l.key, rule_id: $rule_id, rule_version: 1, run_id: $run_id, event_id: l.event_id,
                          kind: l.kind, beneficiary_id: l.beneficiary_id, amount_minor: l.amount_minor,
                          currency: l.currency, status: l.status, at: datetime({epochMillis: l.at}),
                          approves_at: datetime({epochMillis: l.approves_at}), state: l.state})
