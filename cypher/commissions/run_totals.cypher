// A run's ledger: line count and total per currency.
MATCH (c:Commission {run_id: $id})
RETURN c.currency AS currency, count(c) AS lines, sum(c.amount_minor) AS total_minor
ORDER BY currency
