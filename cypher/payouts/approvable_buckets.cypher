// Every bucket of reward lines holding an approved line in no payout batch yet, each
// locked before it is read (a run locks a bucket before it reads it too), with every
// property; in bucket order, as a run's writers lock them.
MATCH (x:RewardBucket)
WHERE x.approvable > 0
WITH x
ORDER BY x.bucket, x.rule_id
SET x.version = x.version + 1
RETURN properties(x) AS bucket
