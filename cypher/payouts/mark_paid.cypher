// Mark a payout batch paid (a paid one stays as it was); whether this call paid it.  The
// batch is locked before its status is read (the first SET reads what it writes), so of
// two concurrent calls one pays it.
MATCH (b:PayoutBatch {id: $id})
SET b.version = coalesce(b.version, 0) + 1
WITH b, b.status <> 'paid' AS paying
SET b.paid_at = coalesce(b.paid_at, datetime()), b.status = 'paid'
RETURN b.id AS id, paying
