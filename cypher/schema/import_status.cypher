// Every order and identifier reader looks up the imports still writing.
CREATE INDEX import_status IF NOT EXISTS FOR (i:Import) ON (i.status)
