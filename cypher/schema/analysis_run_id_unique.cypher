// Analysis runs are addressed by id.
CREATE CONSTRAINT analysis_run_id_unique IF NOT EXISTS FOR (r:AnalysisRun) REQUIRE r.id IS UNIQUE
