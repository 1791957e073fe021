// Stored buckets rewritten whole ($buckets: every property of each), in the transaction
// that locked and read them.
UNWIND $buckets AS b
MATCH (x:RewardBucket {bucket: b.bucket, rule_id: b.rule_id})
SET x = b
