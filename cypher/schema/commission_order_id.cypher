// Reversals find the lines of a refunded order.
CREATE INDEX commission_order_id IF NOT EXISTS FOR (c:Commission) ON (c.order_id)
