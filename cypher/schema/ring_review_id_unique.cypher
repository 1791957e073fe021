CREATE CONSTRAINT ring_review_id_unique IF NOT EXISTS FOR (v:RingReview) REQUIRE v.ring_id IS UNIQUE
