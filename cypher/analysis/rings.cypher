// Rings of a run scoring at least min_score, riskiest first.
MATCH (g:Ring {run_id: $run_id})
WHERE g.score >= $min_score
RETURN g.id AS id, g.members AS members, g.score AS score, g.reasons AS reasons, g.shared AS shared
ORDER BY g.score DESC, g.id
LIMIT $limit
