// An unfinished import's identifier links are found by it to be removed.
CREATE INDEX uses_import IF NOT EXISTS FOR ()-[u:USES]-() ON (u.import_id)
