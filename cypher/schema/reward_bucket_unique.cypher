// One node per rule, bucket number and part (bucket first: a member's reads seek its
// bucket in every rule).
CREATE CONSTRAINT reward_bucket_unique IF NOT EXISTS
FOR (x:RewardBucket) REQUIRE (x.bucket, x.rule_id, x.part) IS UNIQUE
