// Ring results are read by run.
CREATE INDEX ring_run IF NOT EXISTS FOR (g:Ring) ON (g.run_id)
