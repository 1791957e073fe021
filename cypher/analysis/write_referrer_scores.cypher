// Influence results of a run in blocks of consecutive ranks, a list per field (a node per
// tiered member made writing and later removing 150k of them cost seconds): sales below
// per currency in minor units and the score's inputs as JSON.
UNWIND $rows AS b
CREATE (:ReferrerScores {run_id: $run_id, first_rank: b.first_rank, member_ids: b.member_ids, scores: b.scores,
                         tiers: b.tiers, direct_recruits: b.direct_recruits, downline_total: b.downline_total,
                         active_downline: b.active_downline, downline_sales: b.downline_sales,
                         pagerank: b.pagerank, retention: b.retention, score_inputs: b.score_inputs,
                         computed_at: datetime()})
