// A new analysis run, queued (with its period for a compliance run).
CREATE (r:AnalysisRun {id: randomUUID(), kind: $kind, status: 'queued', progress: 0.0,
                       from: $from, to: $to, created_at: datetime()})
RETURN r.id AS id, r.kind AS kind, r.status AS status
