// How many reward lines a member has (in its bucket of every rule).
MATCH (x:RewardBucket)
WHERE x.bucket = $bucket AND x.rule_id IS NOT NULL AND x.part IS NOT NULL
UNWIND [m IN range(0, size(x.members) - 1) WHERE x.members[m] = $member_id] AS m
RETURN sum(x.starts[m + 1] - x.starts[m]) AS n
