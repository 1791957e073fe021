// A new analysis run, queued.
CREATE (r:AnalysisRun {id: randomUUID(), kind: $kind, status: 'queued', progress: 0.0,
                       created_at: datetime()})
RETURN r.id AS id, r.kind AS kind, r.status AS status
