// Buckets no run has stored yet, created whole ($buckets: every property of each node).
// reward_bucket_unique still guards them: a bucket made twice fails the run, and running
// it again rewrites it.
UNWIND $buckets AS b
CREATE (x:RewardBucket)
SET x = b
