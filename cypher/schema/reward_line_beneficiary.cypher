// A member's reward lines, by time.
CREATE INDEX reward_line_beneficiary IF NOT EXISTS FOR (l:RewardLine) ON (l.beneficiary_id, l.at)
