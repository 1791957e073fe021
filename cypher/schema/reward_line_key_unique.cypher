// A reward line is written once per key (rule, event, kind, beneficiary): runs are exactly-once.
CREATE CONSTRAINT reward_line_key_unique IF NOT EXISTS FOR (l:RewardLine) REQUIRE l.key IS UNIQUE
