// A run marks its rule's lines it no longer produces.
CREATE INDEX reward_line_rule IF NOT EXISTS FOR (l:RewardLine) ON (l.rule_id, l.run_id)
