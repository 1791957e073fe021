// A page of a member's reward lines, newest first (time, then key), after the cursor.
MATCH (x:RewardLine)
WHERE x.beneficiary_id = $member_id AND x.at IS NOT NULL
  AND ($before_at IS NULL OR x.at < datetime($before_at) OR (x.at = datetime($before_at) AND x.key < $before_key))
RETURN x.key AS key, x.event_id AS event_id, x.kind AS kind, x.amount_minor AS amount_minor, x.currency AS currency,
       x.status AS status, x.cap AS cap, x.badge AS badge, toString(x.at) AS at, toString(x.approves_at) AS approves_at,
       x.rule_id AS rule_id
ORDER BY x.at DESC, x.key DESC
LIMIT $limit
