// A payout batch through $through, in one transaction under the payout lock (payouts/lock,
// taken first: no line can enter two batches): per member and currency, the approved
// reward lines (approved by then; clawbacks included) and the statements of complete
// commission runs ending by then, not in a batch yet.  Groups whose total reaches
// $minimum (per currency, minor units; otherwise anything above zero) enter the batch —
// each line and statement is marked with it, referenced and never copied — and the rest
// wait for a later batch.
CALL {
  MATCH (x:RewardLine)
  WHERE x.status = 'approved' AND x.payout_id IS NULL AND x.currency <> ''
    AND coalesce(x.approves_at, x.at) <= datetime($through)
  RETURN x AS item, x.beneficiary_id AS member, x.currency AS currency, x.amount_minor AS amount, 0 AS statement
  UNION ALL
  MATCH (r:CommissionRun)
  WHERE r.status = 'complete' AND r.to <= datetime($through)
  MATCH (s:Statement)
  WHERE s.run_id = r.id AND s.beneficiary_id IS NOT NULL AND s.currency IS NOT NULL AND s.payout_id IS NULL
  RETURN s AS item, s.beneficiary_id AS member, s.currency AS currency, s.total_minor AS amount, 1 AS statement
}
WITH member, currency, collect(item) AS items, sum(amount) AS total, sum(statement) AS statements
WHERE total > 0 AND total >= coalesce($minimum[currency], 0)
FOREACH (i IN items | SET i.payout_id = $id)
WITH collect({member_id: member, currency: currency, total_minor: total, statements: statements,
              reward_lines: size(items) - statements}) AS groups
CREATE (b:PayoutBatch {id: $id, through: datetime($through), status: 'open', created_at: datetime(),
                       members: size(groups), minimum: [c IN keys($minimum) | c + ' ' + toString($minimum[c])]})
RETURN b.id AS id
