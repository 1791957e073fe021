// Members by the rewards they earned in [$from, $to) in $currency (lines in $statuses:
// pending or approved, clawbacks netted), most first; ties by member id.  Only the
// buckets of the period's months and the milestones' ($milestones) are read, each
// list once (times in epoch milliseconds).
WITH $from.year * 100 + $from.month AS first, ($to - duration({milliseconds: 1})) AS end
MATCH (x:RewardBucket)
WHERE x.month = $milestones OR (x.month >= first AND x.month <= end.year * 100 + end.month)
WITH x.members AS members, x.starts AS starts, x.ats AS ats, x.currencies AS currencies, x.statuses AS statuses,
     x.amounts AS amounts
UNWIND range(0, size(members) - 1) AS m
UNWIND [i IN range(starts[m], starts[m + 1] - 1)
        WHERE ats[i] >= $from.epochMillis AND ats[i] < $to.epochMillis AND currencies[i] = $currency
          AND statuses[i] IN $statuses] AS i
WITH members[m] AS member_id, sum(amounts[i]) AS value
WHERE value > 0
RETURN member_id, value
ORDER BY value DESC, member_id
LIMIT $limit
