// Results are read by run.
CREATE INDEX referrer_score_run IF NOT EXISTS FOR (s:ReferrerScore) ON (s.run_id, s.rank)
