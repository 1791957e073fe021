// Influence results of a run, one node per tiered member.
UNWIND $rows AS r
CREATE (:ReferrerScore {run_id: $run_id, member_id: r.member_id, rank: r.rank, score: r.score, tier: r.tier,
                        direct_recruits: r.direct_recruits, downline_total: r.downline_total,
                        active_downline: r.active_downline, downline_volume: r.downline_volume,
                        pagerank: r.pagerank, retention: r.retention, computed_at: datetime()})
