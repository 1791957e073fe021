// The best-scored referrers of a run, from the blocks holding the first $limit ranks
// (sales below and the score's inputs as JSON).
MATCH (s:ReferrerScores {run_id: $run_id})
WHERE s.first_rank <= $limit
UNWIND range(0, size(s.member_ids) - 1) AS i
WITH s, i, s.first_rank + i AS rank
WHERE rank <= $limit
RETURN s.member_ids[i] AS id, s.scores[i] AS score, s.tiers[i] AS tier,
       {direct_recruits: s.direct_recruits[i], downline_total: s.downline_total[i],
        active_downline: s.active_downline[i], downline_sales: s.downline_sales[i],
        pagerank: s.pagerank[i], retention: s.retention[i], score_inputs: s.score_inputs[i]} AS components
ORDER BY rank
