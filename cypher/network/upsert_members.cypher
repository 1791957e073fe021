// Update stored members' fields from import rows (idempotent: MERGE on the unique id).
UNWIND $rows AS r
MERGE (m:Member {id: r.id})
SET m.joined_at = datetime(r.joined_at), m.status = r.status, m.country = r.country
