// Every line of the run is in ledger batches now: what is left of the older shape can go.
MATCH (r:CommissionRun {id: $id})
SET r.converted_at = datetime()
