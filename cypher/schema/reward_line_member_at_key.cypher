// A member's reward lines newest first, in the index's own order (time, then key: a page
// of a member with 40k lines reads its 20 lines, not all of them).
CREATE INDEX reward_line_member_at_key IF NOT EXISTS FOR (l:RewardLine) ON (l.beneficiary_id, l.at, l.key)
