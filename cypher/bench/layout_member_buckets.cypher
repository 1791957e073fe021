// Reward lines written as one node per rule and bucket of members (a hash of the member's
// id) holding its members' lines as a list per field, by member then time, with a
// directory (each member and where its lines start) and its totals per member, currency
// and status: a member's page and balance would read the one node of each rule, found by
// the unique (rule, bucket) index, and a run writes about 31 lines a node.
UNWIND $buckets AS b
CREATE (:BenchLayoutBucket {rule_id: $rule_id, bucket: b.bucket, members: b.members, starts: b.starts, keys: b.keys,
                            event_ids: b.event_ids, kinds: b.kinds, amounts: b.amounts, currencies: b.currencies,
                            statuses: b.statuses, ats: b.ats, approves_ats: b.approves_ats, states: b.states,
                            total_members: b.total_members, total_currencies: b.total_currencies,
                            total_statuses: b.total_statuses, total_amounts: b.total_amounts,
                            total_lines: b.total_lines})
