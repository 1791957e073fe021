// Reward lines written as one node per rule and member holding that member's lines as a
// list per field, with its totals per currency and status (a member's page and balance
// would read the one node, found by the unique (rule, member) index).
UNWIND $ledgers AS m
CREATE (:BenchLayoutLedger {rule_id: $rule_id, member_id: m.member_id, keys: m.keys, event_ids: m.event_ids,
                            kinds: m.kinds, amounts: m.amounts, currencies: m.currencies, statuses: m.statuses,
                            ats: m.ats, approves_ats: m.approves_ats, states: m.states,
                            total_currencies: m.total_currencies, total_statuses: m.total_statuses,
                            total_amounts: m.total_amounts, total_lines: m.total_lines})
