// A member's totals per currency in a complete run, from the statements written when it
// completed (never from the lines).
MATCH (s:Statement {run_id: $run_id, beneficiary_id: $member_id})
RETURN s.currency AS currency, s.total_minor AS amount_minor
ORDER BY currency
