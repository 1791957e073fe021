// Rings of a run scoring at least min_score, riskiest first, with their review.
MATCH (g:Ring {run_id: $run_id})
WHERE g.score >= $min_score
OPTIONAL MATCH (v:RingReview {ring_id: g.id})
RETURN g.id AS id, g.members AS members, g.score AS score, g.reasons AS reasons, g.shared AS shared,
       g.size AS size, g.farm_size AS farm_size, g.internal_referrals AS internal_referrals, g.new AS new,
       CASE WHEN v IS NULL THEN null
            ELSE {status: v.status, note: v.note, reviewed_at: toString(v.reviewed_at)} END AS review
ORDER BY g.score DESC, g.id
LIMIT $limit
