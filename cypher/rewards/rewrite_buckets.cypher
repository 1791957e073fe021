// Nodes of stored buckets rewritten whole ($buckets: every property of each; a bucket
// that grew past a part gets a node more), in the transaction that locked and read them.
UNWIND $buckets AS b
MERGE (x:RewardBucket {rule_id: b.rule_id, month: b.month, bucket: b.bucket, part: b.part})
SET x = b
