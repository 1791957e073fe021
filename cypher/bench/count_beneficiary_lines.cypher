// How many reward lines a member has (in its bucket of each month of every rule).
MATCH (d:RewardMonth)
MATCH (x:RewardBucket)
WHERE x.rule_id = d.rule_id AND x.month = d.month AND x.bucket = $hash % d.buckets AND x.part IS NOT NULL
UNWIND [m IN range(0, size(x.members) - 1) WHERE x.members[m] = $member_id] AS m
RETURN sum(x.starts[m + 1] - x.starts[m]) AS n
