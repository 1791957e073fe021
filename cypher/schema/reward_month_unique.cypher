// One bucket count per rule and month of reward lines.
CREATE CONSTRAINT reward_month_unique IF NOT EXISTS
FOR (d:RewardMonth) REQUIRE (d.rule_id, d.month) IS UNIQUE
