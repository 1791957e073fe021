// Members by the rewards they earned in [$from, $to) in $currency (lines in $statuses:
// pending or approved, clawbacks netted), most first; ties by member id.
MATCH (x:RewardLine)
WHERE x.at >= $from AND x.at < $to AND x.currency = $currency AND x.status IN $statuses
WITH x.beneficiary_id AS member_id, sum(x.amount_minor) AS value
WHERE value > 0
RETURN member_id, value
ORDER BY value DESC, member_id
LIMIT $limit
