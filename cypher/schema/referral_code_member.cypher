// A member's codes are listed by member.
CREATE INDEX referral_code_member IF NOT EXISTS FOR (c:ReferralCode) ON (c.member_id)
