// A member's totals per currency in a complete run, from the statements written when it
// completed (never from the lines).  The currency's existence lets the planner seek
// statement_key_unique on (run, member).
MATCH (s:Statement)
WHERE s.run_id = $run_id AND s.beneficiary_id = $member_id AND s.currency IS NOT NULL
RETURN s.currency AS currency, s.total_minor AS amount_minor
ORDER BY currency
