// One lock node per analysis kind: concurrent requests MERGE the same one and queue on it.
CREATE CONSTRAINT analysis_lock_kind_unique IF NOT EXISTS FOR (l:AnalysisLock) REQUIRE l.kind IS UNIQUE
