// Add per-level and total deltas to ancestors' stored downline counts.
UNWIND $changes AS c
MATCH (a:Member {id: c.id})
SET a.level_counts = [i IN range(0, size(c.delta) - 1) | coalesce(a.level_counts[i], 0) + c.delta[i]],
    a.downline_total = coalesce(a.downline_total, 0) + c.total
