// Every node of reward lines holding an approved line in no payout batch yet, each locked
// before it is read (in rule, month, bucket and part order, as a run's writers lock them),
// with every property.
MATCH (x:RewardBucket)
WHERE x.approvable > 0
WITH x
ORDER BY x.rule_id, x.month, x.bucket, x.part
SET x.version = x.version + 1
RETURN properties(x) AS node
