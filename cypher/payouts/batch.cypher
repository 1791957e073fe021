// A payout batch and its groups per member and currency (the lines and statements marked
// with it), by member and currency.
MATCH (b:PayoutBatch {id: $id})
CALL (b) {
  CALL (b) {
    MATCH (x:RewardLine)
    WHERE x.payout_id = b.id
    RETURN x.beneficiary_id AS member, x.currency AS currency, x.amount_minor AS amount, 0 AS statement
    UNION ALL
    MATCH (s:Statement)
    WHERE s.payout_id = b.id
    RETURN s.beneficiary_id AS member, s.currency AS currency, s.total_minor AS amount, 1 AS statement
  }
  WITH member, currency, sum(amount) AS total, sum(statement) AS statements, count(*) AS items
  ORDER BY member, currency
  RETURN collect({member_id: member, currency: currency, total_minor: total, statements: statements,
                  reward_lines: items - statements}) AS groups
}
RETURN b.id AS id, toString(b.through) AS through, b.status AS status, toString(b.created_at) AS created_at,
       toString(b.paid_at) AS paid_at, groups
