// The statements of complete commission runs ending by $through that no payout batch
// holds yet, by their key (run, member, currency), with their totals in minor units.
MATCH (r:CommissionRun)
WHERE r.status = 'complete' AND r.to <= datetime($through)
MATCH (s:Statement)
WHERE s.run_id = r.id AND s.beneficiary_id IS NOT NULL AND s.currency IS NOT NULL AND s.payout_id IS NULL
RETURN collect([s.run_id, s.beneficiary_id, s.currency]) AS keys, collect(s.total_minor) AS amounts
