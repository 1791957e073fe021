// Commission ledger lines by period: orders are selected by time.
CREATE INDEX order_at IF NOT EXISTS FOR (o:Order) ON (o.at)
