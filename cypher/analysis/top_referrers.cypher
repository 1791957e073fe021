// The best-scored referrers of a run.
MATCH (s:ReferrerScore {run_id: $run_id})
RETURN s.member_id AS id, s.score AS score, s.tier AS tier,
       {direct_recruits: s.direct_recruits, downline_total: s.downline_total,
        active_downline: s.active_downline, downline_volume: s.downline_volume,
        pagerank: s.pagerank, retention: s.retention} AS components
ORDER BY s.rank
LIMIT $limit
