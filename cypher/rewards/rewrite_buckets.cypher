// Nodes of stored buckets rewritten whole ($buckets: every property of each; a bucket
// that grew past a part gets a node more), in the transaction that locked and read them.
UNWIND $buckets AS b
MERGE (x:RewardBucket {bucket: b.bucket, rule_id: b.rule_id, part: b.part})
SET x = b
