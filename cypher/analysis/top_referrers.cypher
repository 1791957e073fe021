// The best-scored referrers of a run (sales below and the score's inputs as JSON).
MATCH (s:ReferrerScore {run_id: $run_id})
RETURN s.member_id AS id, s.score AS score, s.tier AS tier,
       {direct_recruits: s.direct_recruits, downline_total: s.downline_total,
        active_downline: s.active_downline, downline_sales: s.downline_sales,
        pagerank: s.pagerank, retention: s.retention, score_inputs: s.score_inputs} AS components
ORDER BY s.rank
LIMIT $limit
