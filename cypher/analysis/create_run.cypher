// A new analysis run, queued (with its period for a compliance run); or, when a run of
// the kind is still queued or running (created within $hours), that one instead. The
// kind's lock node serialises concurrent requests, so two never both start one.
MERGE (l:AnalysisLock {kind: $kind})
SET l.version = coalesce(l.version, 0) + 1
WITH l
OPTIONAL MATCH (running:AnalysisRun {kind: $kind})
WHERE running.status IN ['queued', 'running'] AND running.created_at > datetime() - duration({hours: $hours})
WITH running
ORDER BY running.created_at DESC
LIMIT 1
CALL (running) {
  WITH running
  WHERE running IS NULL
  CREATE (r:AnalysisRun {id: randomUUID(), kind: $kind, status: 'queued', progress: 0.0,
                         from: $from, to: $to, created_at: datetime()})
  RETURN r
  UNION
  WITH running
  WHERE running IS NOT NULL
  RETURN running AS r
}
RETURN r.id AS id, r.kind AS kind, r.status AS status, toString(r.from) AS from, toString(r.to) AS to,
       running IS NULL AS created
