// Every member in one record of columns (a list per field decodes far faster than a list
// per member), for the KPIs: internal node id (keys the orders read alongside), join
// time, the sponsor's internal id (the first, should bad data hold several; -1 for
// none) with how the referral came (via, review status, campaign, channel; '' for
// none), whether the member is active now, and since when its status holds (its join
// time when no change was recorded).
MATCH (m:Member)
WITH m, head([(s)-[r:REFERRED]->(m) | [id(s), r.via, r.status, r.campaign, r.channel]]) AS ref
RETURN collect(id(m)) AS internal, collect(m.joined_at.epochMillis) AS joined, collect(coalesce(ref[0], -1)) AS sponsor,
       collect(coalesce(ref[1], '')) AS via, collect(coalesce(ref[2], '')) AS referral_status,
       collect(coalesce(ref[3], '')) AS campaign, collect(coalesce(ref[4], '')) AS channel,
       collect(m.status = 'active') AS active_now,
       collect(coalesce(m.status_since, m.joined_at).epochMillis) AS status_since
