// A run whose period overlaps [from, to) and that could pay the same orders: a run of this
// plan over another period, or of another plan paying one of $kinds (this plan's runs of
// exactly this period, the run and its adjustments, are the same payment).
MATCH (r:CommissionRun)
WHERE r.from < $to AND r.to > $from AND NOT (r.plan_id = $plan_id AND r.from = $from AND r.to = $to)
MATCH (p:Plan {id: r.plan_id, version: r.plan_version})
WHERE r.plan_id = $plan_id OR any(kind IN p.commissionable_kinds WHERE kind IN $kinds)
RETURN r.id AS id, r.plan_id AS plan_id, toString(r.from) AS from, toString(r.to) AS to
LIMIT 1
