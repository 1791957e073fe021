// Update stored members' fields from import rows (idempotent: MERGE on the unique id).
// A change of status is dated (the KPIs' at-risk members and active counts read it).
UNWIND $rows AS r
MERGE (m:Member {id: r.id})
SET m.status_since = CASE WHEN m.status IS NOT NULL AND m.status <> r.status THEN datetime()
                          ELSE m.status_since END
SET m.joined_at = datetime(r.joined_at), m.status = r.status, m.country = r.country
