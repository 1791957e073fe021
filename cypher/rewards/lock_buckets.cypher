// A rule's stored buckets among $buckets, each locked before it is read (the first SET
// takes its write lock; in bucket order, so two writers never wait on each other in a
// circle), with every property.
UNWIND $buckets AS n
MATCH (x:RewardBucket {bucket: n, rule_id: $rule_id})
SET x.version = x.version + 1
RETURN properties(x) AS bucket
