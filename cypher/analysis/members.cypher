// Every member with what the analyses need: active or not, and when they joined.
MATCH (m:Member)
RETURN m.id, m.status = 'active', m.joined_at.epochSeconds
