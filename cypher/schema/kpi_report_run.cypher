// Stored KPI figures are read by run.
CREATE INDEX kpi_report_run IF NOT EXISTS FOR (k:KpiReport) ON (k.run_id)
