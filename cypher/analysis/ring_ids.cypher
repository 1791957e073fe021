// The ids of a run's rings, as one list.
MATCH (g:Ring {run_id: $run_id})
RETURN collect(g.id) AS ids
