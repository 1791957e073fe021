// A reward rule keeps every version; a run names the version it used.
CREATE CONSTRAINT reward_rule_id_version_unique IF NOT EXISTS FOR (r:RewardRule) REQUIRE (r.id, r.version) IS UNIQUE
