// The runs of a plan over exactly this period (the run and its adjustment runs).
MATCH (r:CommissionRun {plan_id: $plan_id})
WHERE r.from = $from AND r.to = $to
RETURN collect(r.id) AS ids
