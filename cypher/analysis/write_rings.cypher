// Ring results of a run.
UNWIND $rows AS r
CREATE (:Ring {run_id: $run_id, id: r.id, members: r.members, score: r.score, reasons: r.reasons,
               shared: r.shared, size: r.size, farm_size: r.farm_size, internal_referrals: r.internal_referrals,
               new: r.new, computed_at: datetime()})
