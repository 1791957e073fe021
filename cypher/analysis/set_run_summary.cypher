// What a finished run found (JSON), shown with the run.
MATCH (r:AnalysisRun {id: $id})
SET r.summary = $summary
