// The scratch member buckets' index: one node per rule and bucket.
CREATE CONSTRAINT bench_layout_bucket_unique IF NOT EXISTS FOR (x:BenchLayoutBucket) REQUIRE (x.rule_id, x.bucket) IS UNIQUE
