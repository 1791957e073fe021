// REFERRED edges of newly created members (they have no edge yet); for a live signup, how
// it was attributed (via sponsor, code or click, and the code, campaign and channel) and
// whether the referral is approved or held, with the reasons.
UNWIND $rows AS r
MATCH (s:Member {id: r.sponsor_id}), (m:Member {id: r.id})
CREATE (s)-[:REFERRED {at: m.joined_at, via: r.via, code: r.code, campaign: r.campaign, channel: r.channel,
                       status: r.referral_status, reasons: r.reasons}]->(m)
