// A member's reward totals per currency and status (clawbacks count as approved; an
// approved line in an open payout batch is in_payout, in a paid one paid), and whether
// the member exists.  (x.at IS NOT NULL lets the planner seek reward_line_beneficiary.)
OPTIONAL MATCH (m:Member {id: $member_id})
CALL {
  MATCH (x:RewardLine)
  WHERE x.beneficiary_id = $member_id AND x.at IS NOT NULL AND x.currency <> '' AND x.amount_minor <> 0
  OPTIONAL MATCH (b:PayoutBatch {id: x.payout_id})
  WITH x.currency AS currency, CASE WHEN b IS NULL THEN x.status WHEN b.status = 'paid' THEN 'paid'
                                    ELSE 'in_payout' END AS status, sum(x.amount_minor) AS amount
  ORDER BY currency, status
  RETURN collect({currency: currency, status: status, amount: amount}) AS totals
}
RETURN m IS NOT NULL AS exists, totals
