// The figures stored by a KPI run for exactly this period.
MATCH (k:KpiReport {run_id: $run_id})
WHERE k.from = $from AND k.to = $to
RETURN k.kpis AS kpis, toString(k.computed_at) AS computed_at
