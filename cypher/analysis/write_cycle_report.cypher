// Cycle results of a run: the cycles and the members with several sponsors.
CREATE (:CycleReport {run_id: $run_id, cycles: $cycles, multi_sponsor: $multi_sponsor,
                      truncated: $truncated, computed_at: datetime()})
