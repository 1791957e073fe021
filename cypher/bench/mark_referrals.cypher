// Bench only: mark members' sponsor edges as referrals through the programme (how a
// live signup's edge reads), as the generated first load has none.
UNWIND $rows AS r
MATCH (:Member)-[e:REFERRED]->(m:Member {id: r.id})
SET e.via = r.via, e.campaign = r.campaign, e.channel = r.channel, e.status = 'approved'
