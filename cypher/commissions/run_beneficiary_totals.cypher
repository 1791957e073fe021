// Each beneficiary's total in a run, per currency.
MATCH (c:Commission {run_id: $id})
WITH c.beneficiary_id AS beneficiary_id, c.currency AS currency, sum(c.amount_minor) AS total_minor
WHERE total_minor <> 0
RETURN beneficiary_id, currency, total_minor
ORDER BY beneficiary_id, currency
