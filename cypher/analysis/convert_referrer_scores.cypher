// Results stored by an older release, a ReferrerScore node per tiered member, rewritten as
// blocks of $block consecutive ranks (ReferrerScores) and removed.  Fields that release
// did not store are JSON null (shown as unknown); its decayed active count is not a count
// and is dropped with them.
MATCH (s:ReferrerScore)
WITH s.run_id AS run_id, s
ORDER BY s.rank
WITH run_id, collect(s) AS scored
UNWIND range(0, size(scored) - 1, $block) AS start
WITH run_id, scored, start, scored[start..start + $block] AS part
CREATE (:ReferrerScores {run_id: run_id, first_rank: start + 1, member_ids: [s IN part | s.member_id],
                         scores: [s IN part | toFloat(s.score)], tiers: [s IN part | s.tier],
                         direct_recruits: [s IN part | coalesce(s.direct_recruits, 0)],
                         downline_total: [s IN part | coalesce(s.downline_total, 0)],
                         active_downline: [s IN part | CASE WHEN s.downline_sales IS NULL THEN 0
                                                            ELSE toInteger(s.active_downline) END],
                         downline_sales: [s IN part | coalesce(s.downline_sales, 'null')],
                         pagerank: [s IN part | toFloat(coalesce(s.pagerank, 0))],
                         retention: [s IN part | toFloat(coalesce(s.retention, 0))],
                         score_inputs: [s IN part | coalesce(s.score_inputs, 'null')],
                         computed_at: coalesce(head(part).computed_at, datetime())})
WITH collect(DISTINCT scored) AS runs
UNWIND runs AS scored
UNWIND scored AS s
DETACH DELETE s
RETURN count(s) AS converted
