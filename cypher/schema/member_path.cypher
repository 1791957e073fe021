// Scope checks and subtree moves: everyone below a materialised-path prefix.
CREATE INDEX member_path IF NOT EXISTS FOR (m:Member) ON (m.path)
