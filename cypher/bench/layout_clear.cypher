// Everything the layout bench wrote: its scratch nodes, and the reward lines and totals
// of its scratch rule and members (prefix $prefix).
CALL () {
  MATCH (x) WHERE x:BenchLayoutLine OR x:BenchLayoutLedger OR x:BenchLayoutBucket OR x:BenchLayoutBatch RETURN x
  UNION ALL
  MATCH (x:RewardLine) WHERE x.key STARTS WITH $rule_id + ':' RETURN x
  UNION ALL
  MATCH (x:RewardTotal) WHERE x.member_id STARTS WITH $prefix RETURN x
}
CALL (x) { DETACH DELETE x } IN TRANSACTIONS OF 10000 ROWS
