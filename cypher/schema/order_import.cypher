// An unfinished import's orders are found by it to be removed.
CREATE INDEX order_import IF NOT EXISTS FOR (o:Order) ON (o.import_id)
