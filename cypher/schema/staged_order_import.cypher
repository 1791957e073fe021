CREATE INDEX staged_order_import IF NOT EXISTS FOR (o:StagedOrder) ON (o.import_id)
