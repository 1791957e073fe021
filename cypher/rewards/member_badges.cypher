// The badges a member has earned: its milestone lines (not canceled), earliest first.
// (The IS NOT NULL predicates let the planner seek reward_line_member_at_key.)
MATCH (x:RewardLine)
WHERE x.beneficiary_id = $member_id AND x.at IS NOT NULL AND x.key IS NOT NULL AND x.kind = 'milestone'
  AND x.badge IS NOT NULL AND x.status <> 'canceled'
RETURN DISTINCT x.badge AS badge, x.rule_id AS rule_id, toString(x.at) AS at
ORDER BY at, badge
