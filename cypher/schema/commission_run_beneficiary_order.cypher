// A member's statement pages through their lines of one run in order.
CREATE INDEX commission_run_beneficiary_order IF NOT EXISTS FOR (c:Commission) ON (c.run_id, c.beneficiary_id, c.order_id)
