// Referral codes are unique (stored lower-case: they are matched without case).
CREATE CONSTRAINT referral_code_unique IF NOT EXISTS FOR (c:ReferralCode) REQUIRE c.code IS UNIQUE
