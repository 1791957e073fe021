// A commission run's record: totals per currency once complete, lines so far before.
MATCH (r:CommissionRun {id: $id})
RETURN r.id AS id, r.plan_id AS plan_id, r.plan_version AS plan_version,
       toString(r.from) AS from, toString(r.to) AS to, r.adjusts AS adjusts, r.status AS status,
       r.orders AS orders, r.orders_done AS orders_done,
       coalesce(r.currencies, []) AS currencies, coalesce(r.totals_minor, []) AS totals_minor,
       coalesce(r.lines_by_currency, []) AS lines_by_currency,
       CASE WHEN r.statements_at IS NULL THEN COLLECT { MATCH (b:LedgerBatch {run_id: r.id}) RETURN b.lines }
            ELSE [] END AS batch_lines,
       toString(r.started_at) AS started_at, toString(r.finished_at) AS finished_at, r.error AS error
