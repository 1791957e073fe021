// Every member with what the analyses need, as rows in one record (one big record
// decodes many times faster than a million small ones; collect keeps a row with nulls).
// The internal node id keys the other projection queries of the same transaction:
// reading it costs no property lookup, unlike the member id.
MATCH (m:Member)
WITH collect([id(m), m.id, m.status = 'active', m.joined_at.epochSeconds]) AS rows
// Aggregated first: with a literal beside it, no rows would give no record.
RETURN ['internal', 'id', 'active', 'joined'] AS columns, rows
