// Reward lines written as one node per batch holding a list per field (as a commission
// run's ledger batches are): nothing indexed by member.
CREATE (:BenchLayoutBatch {rule_id: $rule_id, run_id: $run_id, keys: $keys, event_ids: $event_ids, kinds: $kinds,
                           beneficiary_ids: $beneficiary_ids, amounts: $amounts, currencies: $currencies,
                           statuses: $statuses, ats: $ats, approves_ats: $approves_ats, states: $states})
