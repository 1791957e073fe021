// Every member in one record of columns (a list per field decodes far faster than a list
// per member), for the KPIs: internal node id (keys the orders read alongside), join
// time, the sponsor's internal id (the first, should bad data hold several; -1 for
// none), whether it came as a referral ($vias, not $rejected) and by a click
// ($click), the referral's campaign and channel ('' for none or not a referral),
// whether the member is active now, and since when its status holds (its join time
// when no change was recorded).
MATCH (m:Member)
WITH m, head([(s)-[r:REFERRED]->(m) | [id(s), r.via IN $vias AND coalesce(r.status, '') <> $rejected, r.via = $click,
                                        r.campaign, r.channel]]) AS ref
WITH m, ref, coalesce(ref[1], false) AS referred
RETURN collect(id(m)) AS internal, collect(m.joined_at.epochMillis) AS joined, collect(coalesce(ref[0], -1)) AS sponsor,
       collect(referred) AS referred, collect(coalesce(ref[2], false)) AS by_click,
       collect(CASE WHEN referred THEN coalesce(ref[3], '') ELSE '' END) AS campaign,
       collect(CASE WHEN referred THEN coalesce(ref[4], '') ELSE '' END) AS channel,
       collect(m.status = 'active') AS active_now,
       collect(coalesce(m.status_since, m.joined_at).epochMillis) AS status_since
