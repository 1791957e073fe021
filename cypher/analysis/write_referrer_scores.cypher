// Influence results of a run, one node per tiered member (sales below per currency in
// minor units, and the score's inputs, as JSON).
UNWIND $rows AS r
CREATE (:ReferrerScore {run_id: $run_id, member_id: r.member_id, rank: r.rank, score: r.score, tier: r.tier,
                        direct_recruits: r.direct_recruits, downline_total: r.downline_total,
                        active_downline: r.active_downline, downline_sales: r.downline_sales,
                        pagerank: r.pagerank, retention: r.retention, score_inputs: r.score_inputs,
                        computed_at: datetime()})
