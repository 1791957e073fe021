// Runs whose ledger is still in the shape of releases before ledger batches (one node per
// line, :Commission): the ones not yet converted, and every run with such lines left.
MATCH (r:CommissionRun)
WHERE EXISTS { MATCH (c:Commission {run_id: r.id}) }
RETURN r.id AS id, r.converted_at IS NOT NULL AS converted, r.status AS status
ORDER BY id
