// The rule's lines an earlier run wrote that this run no longer produces (a referral
// rejected since): canceled, unless a payout batch settled them.
MATCH (x:RewardLine)
WHERE x.rule_id = $rule_id AND x.run_id <> $run_id AND x.status <> 'canceled' AND x.payout_id IS NULL
SET x.status = 'canceled', x.run_id = $run_id
RETURN count(x) AS canceled
