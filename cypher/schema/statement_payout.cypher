// A payout batch's commission statements.
CREATE INDEX statement_payout IF NOT EXISTS FOR (s:Statement) ON (s.payout_id)
