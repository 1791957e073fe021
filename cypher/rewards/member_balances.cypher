// A member's reward totals per currency and status, from its bucket in each month of every
// rule (kept by the writes that change the bucket: clawbacks count as approved; an
// approved line in an open payout batch is in_payout, in a paid one paid), those that hold
// a line, and whether the member exists.
OPTIONAL MATCH (m:Member {id: $member_id})
CALL () {
  MATCH (d:RewardMonth)
  MATCH (x:RewardBucket)
  WHERE x.rule_id = d.rule_id AND x.month = d.month AND x.bucket = $hash % d.buckets AND x.part IS NOT NULL
  WITH x.t_members AS members, x.t_currencies AS currencies, x.t_statuses AS statuses, x.t_payouts AS payouts,
       x.t_amounts AS amounts, x.t_lines AS lines
  UNWIND [i IN range(0, size(members) - 1) WHERE members[i] = $member_id] AS i
  OPTIONAL MATCH (p:PayoutBatch {id: payouts[i]})
  WITH currencies[i] AS currency,
       CASE WHEN p IS NULL THEN statuses[i] WHEN p.status = 'paid' THEN 'paid' ELSE 'in_payout' END AS status,
       sum(amounts[i]) AS amount, sum(lines[i]) AS lines
  WHERE lines > 0
  ORDER BY currency, status
  RETURN collect({currency: currency, status: status, amount: amount}) AS totals
}
RETURN m IS NOT NULL AS exists, totals
