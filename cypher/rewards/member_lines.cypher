// A page of a member's reward lines, newest first (time, then key), after the cursor.
// Ordering by the member too (one value here) and the IS NOT NULL predicates let the
// planner read reward_line_member_at_key backwards and stop after the page, instead of
// sorting all of a big referrer's lines.
MATCH (x:RewardLine)
WHERE x.beneficiary_id = $member_id AND x.at IS NOT NULL AND x.key IS NOT NULL
  AND ($before_at IS NULL OR x.at < datetime($before_at) OR (x.at = datetime($before_at) AND x.key < $before_key))
WITH x, x.beneficiary_id AS member, x.at AS at, x.key AS key
ORDER BY member DESC, at DESC, key DESC
LIMIT $limit
RETURN key, x.event_id AS event_id, x.kind AS kind, x.amount_minor AS amount_minor, x.currency AS currency,
       x.status AS status, x.cap AS cap, x.badge AS badge, toString(at) AS at, toString(x.approves_at) AS approves_at,
       x.rule_id AS rule_id
