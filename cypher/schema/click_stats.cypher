// Click counts come from this index alone (no store reads): a member's referral figures
// seek it by member and time; the KPIs range over it for a period, reading the code (its
// campaign and channel), the bot flag and the visitor from it.
CREATE INDEX click_stats IF NOT EXISTS FOR (k:Click) ON (k.member_id, k.at, k.bot, k.visitor_hash, k.code)
