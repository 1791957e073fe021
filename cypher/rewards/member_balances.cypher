// A member's reward totals per currency and status (clawbacks count as approved), and
// whether the member exists.
OPTIONAL MATCH (m:Member {id: $member_id})
CALL {
  MATCH (x:RewardLine)
  WHERE x.beneficiary_id = $member_id AND x.currency <> '' AND x.amount_minor <> 0
  WITH x.currency AS currency, x.status AS status, sum(x.amount_minor) AS amount
  ORDER BY currency, status
  RETURN collect({currency: currency, status: status, amount: amount}) AS totals
}
RETURN m IS NOT NULL AS exists, totals
