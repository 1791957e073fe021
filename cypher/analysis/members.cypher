// Every member with what the analyses need, in one record of columns (a list per field
// decodes many times faster than a list per member): the internal node id (it keys the
// other projection queries of the same transaction and costs no property lookup),
// the member id, whether it is active, its join time in epoch seconds ($no_time when
// unknown: collect drops nulls).
MATCH (m:Member)
RETURN collect(id(m)) AS internal, collect(m.id) AS id, collect(coalesce(m.status = 'active', false)) AS active,
       collect(coalesce(m.joined_at.epochSeconds, $no_time)) AS joined
