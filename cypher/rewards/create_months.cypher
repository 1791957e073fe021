// A run's new months of a rule, each with its bucket count (fixed from then on).
UNWIND range(0, size($months) - 1) AS i
CREATE (:RewardMonth {rule_id: $rule_id, month: $months[i], buckets: $counts[i]})
