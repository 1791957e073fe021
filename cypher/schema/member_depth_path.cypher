// Downline pages: members at one depth below a materialised-path prefix.
CREATE INDEX member_depth_path IF NOT EXISTS FOR (m:Member) ON (m.depth, m.path)
