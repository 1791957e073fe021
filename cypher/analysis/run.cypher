// One analysis run's record.
MATCH (r:AnalysisRun {id: $id})
RETURN r.id AS id, r.kind AS kind, r.status AS status, r.progress AS progress,
       toString(r.from) AS from, toString(r.to) AS to,
       toString(r.started_at) AS started_at, toString(r.finished_at) AS finished_at, r.error AS error,
       r.summary AS summary
