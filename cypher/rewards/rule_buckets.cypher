// The numbers of a rule's stored buckets, as one list (a scan of the buckets' rule ids:
// the unique key leads with the bucket, which members' reads seek by).
MATCH (x:RewardBucket)
WHERE x.rule_id = $rule_id
RETURN collect(x.bucket) AS buckets
