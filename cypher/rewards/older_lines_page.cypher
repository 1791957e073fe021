// A page of the reward lines older releases stored a node each, in key order after $after,
// as columns (times in epoch milliseconds, -1 for none; no cap, badge or batch '').
MATCH (x:RewardLine)
WHERE x.key > $after
WITH x
ORDER BY x.key
LIMIT $limit
RETURN collect(x.rule_id) AS rule_ids, collect(x.beneficiary_id) AS members, collect(x.at.epochMillis) AS ats,
       collect(x.key) AS keys, collect(x.event_id) AS event_ids, collect(x.kind) AS kinds,
       collect(x.amount_minor) AS amounts, collect(x.currency) AS currencies, collect(x.status) AS statuses,
       collect(coalesce(x.cap, '')) AS caps, collect(coalesce(x.badge, '')) AS badges,
       collect(coalesce(x.approves_at.epochMillis, -1)) AS approves, collect(coalesce(x.payout_id, '')) AS payouts
