// A rule's months with their bucket counts, and its stored buckets (month, number) with
// their digests, as lists.
CALL () {
  MATCH (d:RewardMonth)
  WHERE d.rule_id = $rule_id
  RETURN collect(d.month) AS months, collect(d.buckets) AS counts
}
CALL () {
  MATCH (x:RewardBucket)
  WHERE x.rule_id = $rule_id AND x.month IS NOT NULL AND x.bucket IS NOT NULL AND x.part = 0
  RETURN collect(x.month) AS bucket_months, collect(x.bucket) AS buckets, collect(x.digest) AS digests
}
RETURN months, counts, bucket_months, buckets, digests
