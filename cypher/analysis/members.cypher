// Every member with what the analyses need, as rows in one record (one big record
// decodes many times faster than a million small ones; collect keeps a row with nulls).
MATCH (m:Member)
RETURN collect([m.id, m.status = 'active', m.joined_at.epochSeconds]) AS rows
