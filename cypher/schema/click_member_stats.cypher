// A member's referral figures count the clicks on their codes in a period, and their
// visitors, from this index alone (bot and visitor_hash are read from it, not the store).
CREATE INDEX click_member_stats IF NOT EXISTS FOR (k:Click) ON (k.member_id, k.at, k.bot, k.visitor_hash)
