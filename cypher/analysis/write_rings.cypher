// Ring results of a run.
UNWIND $rows AS r
CREATE (:Ring {run_id: $run_id, id: r.id, members: r.members, score: r.score, reasons: r.reasons,
               shared: r.shared, computed_at: datetime()})
