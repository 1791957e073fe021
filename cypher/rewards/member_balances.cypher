// A member's reward totals per currency and status (kept by the writes that change its
// lines: clawbacks count as approved; an approved line in an open payout batch is
// in_payout, in a paid one paid), those that hold a line, and whether the member exists.
OPTIONAL MATCH (m:Member {id: $member_id})
CALL {
  // (The IS NOT NULL predicates let the planner seek reward_total_key_unique's index.)
  MATCH (t:RewardTotal)
  WHERE t.member_id = $member_id AND t.currency IS NOT NULL AND t.status IS NOT NULL AND t.lines > 0
  WITH t
  ORDER BY t.currency, t.status
  RETURN collect({currency: t.currency, status: t.status, amount: t.amount_minor}) AS totals
}
RETURN m IS NOT NULL AS exists, totals
