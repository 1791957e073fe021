// Mark a payout batch paid (a paid one stays as it was, paid when it was first paid).  The
// batch is locked before paid_at is read (the first SET reads what it writes), so of two
// concurrent calls the first sets it.
MATCH (b:PayoutBatch {id: $id})
SET b.version = coalesce(b.version, 0) + 1
SET b.paid_at = coalesce(b.paid_at, datetime()), b.status = 'paid'
RETURN b.id AS id
