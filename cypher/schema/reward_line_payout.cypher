// A payout batch's reward lines.
CREATE INDEX reward_line_payout IF NOT EXISTS FOR (x:RewardLine) ON (x.payout_id)
