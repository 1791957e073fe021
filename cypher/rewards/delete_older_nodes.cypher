// The reward lines and totals older releases stored a node each, once converted to buckets.
MATCH (x:RewardLine|RewardTotal)
CALL (x) { DETACH DELETE x } IN TRANSACTIONS OF 10000 ROWS
