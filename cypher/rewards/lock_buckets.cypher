// The nodes of a rule's stored buckets among $buckets, each locked before it is read (the
// first SET takes its write lock; in bucket and part order, as payout batches take them,
// so two writers never wait on each other in a circle), with every property.
UNWIND $buckets AS n
MATCH (x:RewardBucket)
WHERE x.bucket = n AND x.rule_id = $rule_id AND x.part IS NOT NULL
WITH x
ORDER BY x.bucket, x.part
SET x.version = x.version + 1
RETURN properties(x) AS node
