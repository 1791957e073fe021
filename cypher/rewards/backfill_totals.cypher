// Reward totals recomputed from every line, for a store whose lines were written before
// totals were kept (SET, not add: an interrupted backfill is finished by running it
// again).  Lines of no amount or currency (badges) count nowhere.
MATCH (x:RewardLine)
WHERE x.currency <> '' AND x.amount_minor <> 0
OPTIONAL MATCH (b:PayoutBatch {id: x.payout_id})
WITH x.beneficiary_id AS member_id, x.currency AS currency,
     CASE WHEN b IS NULL THEN x.status WHEN b.status = $paid THEN $paid ELSE $in_payout END AS status,
     sum(x.amount_minor) AS amount, count(*) AS lines
CALL (member_id, currency, status, amount, lines) {
  MERGE (t:RewardTotal {member_id: member_id, currency: currency, status: status})
  SET t.amount_minor = amount, t.lines = lines
} IN TRANSACTIONS OF 10000 ROWS
