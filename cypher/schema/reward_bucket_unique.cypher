// One node per rule, month, bucket number and part (a member's reads seek its bucket in
// each month of every rule; a run seeks its rule's).
CREATE CONSTRAINT reward_bucket_unique IF NOT EXISTS
FOR (x:RewardBucket) REQUIRE (x.rule_id, x.month, x.bucket, x.part) IS UNIQUE
