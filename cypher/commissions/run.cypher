// A commission run's record.
MATCH (r:CommissionRun {id: $id})
RETURN r.id AS id, r.plan_id AS plan_id, r.plan_version AS plan_version,
       toString(r.from) AS from, toString(r.to) AS to, r.adjusts AS adjusts, r.status AS status,
       r.orders AS orders, r.orders_done AS orders_done,
       toString(r.started_at) AS started_at, toString(r.finished_at) AS finished_at, r.error AS error
