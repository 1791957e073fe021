// The groups per member and currency of payout batches older releases made, stored on
// each batch as newer ones are: from the reward lines (a node each then) and statements
// marked with it.
MATCH (b:PayoutBatch)
WHERE b.group_members IS NULL
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
  RETURN collect(member) AS members, collect(currency) AS currencies, collect(total) AS totals,
         collect(statements) AS statements, collect(items - statements) AS lines
}
SET b.group_members = members, b.group_currencies = currencies, b.group_totals = totals,
    b.group_statements = statements, b.group_lines = lines
