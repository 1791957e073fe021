// The cycle report of a run.
MATCH (c:CycleReport {run_id: $run_id})
RETURN c.cycles AS cycles, c.multi_sponsor AS multi_sponsor, c.truncated AS truncated
