// The badges a member has earned: its milestone lines (not canceled), kept in the
// milestones' month ($month) of every rule, earliest first.
MATCH (d:RewardMonth)
WHERE d.month = $month
MATCH (x:RewardBucket)
WHERE x.rule_id = d.rule_id AND x.month = d.month AND x.bucket = $hash % d.buckets AND x.part IS NOT NULL
UNWIND [m IN range(0, size(x.members) - 1) WHERE x.members[m] = $member_id] AS m
WITH x.rule_id AS rule_id, x.kinds AS kinds, x.badges AS badges, x.statuses AS statuses, x.ats AS ats,
     range(x.starts[m], x.starts[m + 1] - 1) AS mine
UNWIND [i IN mine WHERE kinds[i] = 'milestone' AND badges[i] <> '' AND statuses[i] <> 'canceled'] AS i
WITH DISTINCT badges[i] AS badge, rule_id, ats[i] AS at
ORDER BY at, badge
RETURN badge, rule_id, toString(datetime({epochMillis: at})) AS at
