// Runs completed before runs kept ledger totals.
MATCH (r:CommissionRun)
WHERE r.status = 'complete' AND r.totals_at IS NULL
RETURN r.id AS id
