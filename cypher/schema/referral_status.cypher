// Held referrals are listed by status.
CREATE INDEX referral_status IF NOT EXISTS FOR ()-[r:REFERRED]-() ON (r.status)
