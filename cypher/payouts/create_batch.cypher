// A payout batch through $through, in the transaction that chose it under the payout lock:
// its statements marked with it (referenced, never copied; its reward lines are marked in
// their buckets) and its groups per member and currency stored on it, as parallel lists.
UNWIND $statements AS key
MATCH (s:Statement {run_id: key[0], beneficiary_id: key[1], currency: key[2]})
SET s.payout_id = $id
WITH count(*) AS marked
CREATE (b:PayoutBatch {id: $id, through: datetime($through), status: 'open', created_at: datetime(),
                       members: $members, minimum: $minimum, group_members: $group_members,
                       group_currencies: $group_currencies, group_totals: $group_totals,
                       group_statements: $group_statements, group_lines: $group_lines})
RETURN b.id AS id
