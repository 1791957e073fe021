// The rule's stored lines as a run compares them, in one record of columns: key, state
// (as the run that wrote it evaluated it; '' for a line written before states were
// kept), status, and whether a payout batch settled it.
// A line's key starts with its rule's id and a colon: the prefix is a seek of
// reward_line_key_unique (a rule index would cost every new line another index entry);
// the rule id filters out the lines of a rule whose id extends this one's ('R' and 'R:2').
MATCH (x:RewardLine)
WHERE x.key STARTS WITH $rule_id + ':' AND x.rule_id = $rule_id
RETURN collect(x.key) AS key, collect(coalesce(x.state, '')) AS state, collect(x.status) AS status,
       collect(x.payout_id IS NOT NULL) AS settled
