// Every member in one record of columns, for the KPIs: internal node id (keys the
// orders read alongside), join time, the sponsor's internal id (the first, should
// bad data hold several; -1 for none) with how the referral came (via, review
// status, campaign, channel), whether the member is active now, and since when
// its status holds (its join time when no change was recorded).
MATCH (m:Member)
WITH m, head([(s)-[r:REFERRED]->(m) | [id(s), r.via, r.status, r.campaign, r.channel]]) AS ref
WITH collect([id(m), m.joined_at.epochMillis, coalesce(ref[0], -1), ref[1], ref[2], ref[3], ref[4],
              m.status = 'active', coalesce(m.status_since, m.joined_at).epochMillis]) AS rows
// Aggregated first: with a literal beside it, no rows would give no record.
RETURN ['internal', 'joined', 'sponsor', 'via', 'referral_status', 'campaign', 'channel', 'active_now',
        'status_since'] AS columns, rows
