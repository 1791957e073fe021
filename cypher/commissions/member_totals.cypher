// A member's totals per currency in a complete run, from the totals written when it
// completed (never from the lines).
MATCH (t:CommissionTotal {run_id: $run_id, beneficiary_id: $member_id})
WITH t.currency AS currency, sum(t.amount_minor) AS amount_minor
RETURN currency, amount_minor
ORDER BY currency
