// Add what a write changed ($deltas: member_id, currency, status, amount in minor units,
// lines) to the members' reward totals, in the writer's transaction.  Totals are taken in
// one order (no deadlock between writers) and each increment reads the total under its
// write lock (Cypher takes it first when SET reads the property it writes): no lost update.
UNWIND $deltas AS d
WITH d
ORDER BY d.member_id, d.currency, d.status
MERGE (t:RewardTotal {member_id: d.member_id, currency: d.currency, status: d.status})
ON CREATE SET t.amount_minor = 0, t.lines = 0
SET t.amount_minor = t.amount_minor + d.amount, t.lines = t.lines + d.lines
