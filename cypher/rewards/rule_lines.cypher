// The rule's stored lines as a run compares them, in one record of columns: key, state
// (as the run that wrote it evaluated it; '' for a line written before states were
// kept), status, and whether a payout batch settled it.
// (Every line holds a run id: the predicate lets the planner seek reward_line_rule.)
MATCH (x:RewardLine)
WHERE x.rule_id = $rule_id AND x.run_id IS NOT NULL
RETURN collect(x.key) AS key, collect(coalesce(x.state, '')) AS state, collect(x.status) AS status,
       collect(x.payout_id IS NOT NULL) AS settled
