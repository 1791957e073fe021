// The figures a KPI run stored.
MATCH (k:KpiReport {run_id: $run_id})
RETURN k.kpis AS kpis
