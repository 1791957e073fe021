// The scratch member buckets' index, dropped when the layout bench is done.
DROP CONSTRAINT bench_layout_bucket_unique IF EXISTS
