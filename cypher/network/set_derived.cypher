// Store recomputed derived properties (depth, materialised path, per-level counts).
UNWIND $rows AS r
MATCH (m:Member {id: r.id})
SET m.depth = r.depth, m.path = r.path, m.level_counts = r.level_counts,
    m.downline_total = r.downline_total
