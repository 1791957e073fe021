// A KPI run's figures for its period.
CREATE (:KpiReport {run_id: $run_id, from: $from, to: $to, kpis: $kpis, computed_at: datetime()})
