// Buckets made from the lines older releases stored a node each ($buckets: every property
// of each node); merged, so that a conversion run again writes them again.
UNWIND $buckets AS b
MERGE (x:RewardBucket {bucket: b.bucket, rule_id: b.rule_id, part: b.part})
SET x = b
