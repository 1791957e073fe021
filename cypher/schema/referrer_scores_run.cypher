// Results are read by run, in rank order.
CREATE INDEX referrer_scores_run IF NOT EXISTS FOR (s:ReferrerScores) ON (s.run_id, s.first_rank)
