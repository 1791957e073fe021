// Create members that are not stored yet, with their derived properties
// (the import checked their ids are new; the unique constraint still guards), and for a
// live signup its signup key and the keyed hashes of its address and visitor id (the
// network checks look for a sponsor on a new member's address).
UNWIND $rows AS r
CREATE (m:Member {id: r.id, joined_at: datetime(r.joined_at), status: r.status, country: r.country,
                  depth: r.depth, path: r.path, level_counts: r.level_counts,
                  downline_total: r.downline_total, signup_key: r.signup_key,
                  signup_ip_hash: r.signup_ip_hash, visitor_hash: r.visitor_hash})
