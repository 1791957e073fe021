// A member's reward total per currency and status (as the member sees it), kept by every
// write that changes reward lines; the balance is a read of these.
CREATE CONSTRAINT reward_total_key_unique IF NOT EXISTS
FOR (t:RewardTotal) REQUIRE (t.member_id, t.currency, t.status) IS UNIQUE
