// Why a referral of a new member joining at $at under $sponsor_id is held (no reason: it
// is not): the member's strong identifiers ($identifiers: kind and hash) are used by the
// sponsor or its upline within $upline_levels levels (self-referral through other
// accounts); the sponsor is in a high-risk ring of the newest complete run of $kinds; or the
// sponsor would have more than $velocity referrals within the hour up to $at; or the
// sponsor was seen on the new member's address ($ip_hash) within the hour up to $at (its
// own signup from there, or a click it made as a visitor from there).  With the sponsor's
// path and depth, which the new member's are made from.
WITH COLLECT { MATCH (i:Import {status: 'writing'}) RETURN i.id } AS unpublished
MATCH (s:Member {id: $sponsor_id})
WITH s, unpublished, reverse([x IN split(s.path, '/') WHERE x <> ''])[0..$upline_levels + 1] AS near
CALL (near, unpublished) {
  UNWIND $identifiers AS given
  MATCH (:Identifier {kind: given.kind, hash: given.hash})<-[u:USES]-(m:Member)
  WHERE m.id IN near AND NOT coalesce(u.import_id, '') IN unpublished
  RETURN count(*) > 0 AS shared
}
CALL (s) {
  CALL {
// include analysis/latest_run
  }
  MATCH (g:Ring {run_id: id})
  WHERE g.score >= $high_risk AND s.id IN g.members
  RETURN count(g) > 0 AS in_ring
}
CALL (s) {
  MATCH (s)-[:REFERRED]->(f:Member)
  WHERE f.joined_at > datetime($at) - duration({hours: 1}) AND f.joined_at <= datetime($at)
  RETURN count(f) AS recent
}
WITH s, shared, in_ring, recent, $ip_hash IS NOT NULL AND (
       (s.signup_ip_hash = $ip_hash AND s.joined_at > datetime($at) - duration({hours: 1})
        AND s.joined_at <= datetime($at))
       OR EXISTS {
         MATCH (k:Click)
         WHERE k.visitor_hash = s.visitor_hash AND k.at > datetime($at) - duration({hours: 1})
           AND k.at <= datetime($at) AND k.ip_hash = $ip_hash
       }) AS shared_ip
RETURN [reason IN [CASE WHEN shared THEN 'shared_identifier' END, CASE WHEN in_ring THEN 'sponsor_in_ring' END,
                   CASE WHEN recent + 1 > $velocity THEN 'velocity' END,
                   CASE WHEN shared_ip THEN 'shared_ip' END] WHERE reason IS NOT NULL] AS reasons,
       s.id AS id, s.path AS path, s.depth AS depth
