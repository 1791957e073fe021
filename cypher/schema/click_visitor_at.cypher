// Attribution reads one visitor's clicks inside a window of time.
CREATE INDEX click_visitor_at IF NOT EXISTS FOR (k:Click) ON (k.visitor_hash, k.at)
