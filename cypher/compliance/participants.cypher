// Participants who joined before the period ends, below a path prefix ('' for everyone).
MATCH (m:Member)
WHERE m.path STARTS WITH $prefix AND m.joined_at < $to
RETURN collect([m.id, m.path]) AS rows
