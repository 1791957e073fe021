// Every node of reward lines holding an approved line in no payout batch yet, each locked
// before it is read (in bucket and part order, as a run's writers lock them), with every
// property.
MATCH (x:RewardBucket)
WHERE x.approvable > 0
WITH x
ORDER BY x.bucket, x.rule_id, x.part
SET x.version = x.version + 1
RETURN properties(x) AS node
