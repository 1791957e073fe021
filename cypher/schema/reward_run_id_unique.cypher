// Reward runs by id.
CREATE CONSTRAINT reward_run_id_unique IF NOT EXISTS FOR (r:RewardRun) REQUIRE r.id IS UNIQUE
