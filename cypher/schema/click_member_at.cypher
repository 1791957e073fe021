// A member's referral figures count the clicks on their codes in a period.
CREATE INDEX click_member_at IF NOT EXISTS FOR (k:Click) ON (k.member_id, k.at)
