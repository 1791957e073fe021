// Reversals start from refunded orders, a small share of all orders.
CREATE INDEX order_status IF NOT EXISTS FOR (o:Order) ON (o.status)
