// The reward lines a payout batch holds, per member, currency and line status (amount in
// minor units and lines), for the totals.
MATCH (x:RewardLine)
WHERE x.payout_id = $id AND x.currency <> '' AND x.amount_minor <> 0
RETURN x.beneficiary_id AS member_id, x.currency AS currency, x.status AS status, sum(x.amount_minor) AS amount,
       count(*) AS lines
