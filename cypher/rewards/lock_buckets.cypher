// The nodes of a rule's stored buckets among $buckets ([month, number] each), each locked
// before it is read (the first SET takes its write lock; in month, bucket and part order,
// as payout batches take them, so two writers never wait on each other in a circle), with
// every property.
UNWIND $buckets AS key
MATCH (x:RewardBucket)
WHERE x.rule_id = $rule_id AND x.month = key[0] AND x.bucket = key[1] AND x.part IS NOT NULL
WITH x
ORDER BY x.month, x.bucket, x.part
SET x.version = x.version + 1
RETURN properties(x) AS node
