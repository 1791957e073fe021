// Payout batches by id.
CREATE CONSTRAINT payout_batch_id_unique IF NOT EXISTS FOR (b:PayoutBatch) REQUIRE b.id IS UNIQUE
