// Mark a payout batch paid (a paid one stays as it was).
MATCH (b:PayoutBatch {id: $id})
SET b.paid_at = coalesce(b.paid_at, datetime()), b.status = 'paid'
RETURN b.id AS id
