// A rule's stored buckets and their digests, as two lists (a scan of the nodes' rule ids:
// the unique key leads with the bucket, which members' reads seek by).
MATCH (x:RewardBucket)
WHERE x.rule_id = $rule_id AND x.part = 0
RETURN collect(x.bucket) AS buckets, collect(x.digest) AS digests
