// The rule's lines an earlier run wrote that this run no longer produces (a referral
// rejected since), by key: canceled, unless a payout batch settled them meanwhile.
// Returns each canceled line with what it held before, for the totals.
UNWIND $keys AS key
MATCH (x:RewardLine {key: key})
SET x.run_id = $run_id
WITH x, x.status AS was
WHERE x.payout_id IS NULL AND was <> $canceled
SET x.status = $canceled, x.state = ''
RETURN x.beneficiary_id AS member_id, x.currency AS currency, was AS status, x.amount_minor AS amount
