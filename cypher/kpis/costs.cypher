// The programme's cost in [from, to), per currency: the statements of complete
// commission runs whose period lies inside (over the run's period), and reward lines
// approved in it (clawbacks included, negative), per month of approval.
CALL () {
  MATCH (r:CommissionRun)
  WHERE r.status = 'complete' AND r.from >= $from AND r.to <= $to
  MATCH (s:Statement)
  WHERE s.run_id = r.id AND s.currency IS NOT NULL
  RETURN r.from.epochMillis AS start, r.to.epochMillis AS end, s.currency AS currency, 'commissions' AS source,
         sum(s.total_minor) AS amount
  UNION ALL
  MATCH (x:RewardBucket)
  WITH x.ats AS ats, x.approves AS approves, x.statuses AS statuses, x.amounts AS amounts, x.currencies AS currencies
  UNWIND [i IN range(0, size(ats) - 1) WHERE statuses[i] = 'approved' AND amounts[i] <> 0] AS i
  WITH CASE WHEN approves[i] < 0 THEN ats[i] ELSE approves[i] END AS approved, currencies[i] AS currency,
       amounts[i] AS amount
  WHERE approved >= $from.epochMillis AND approved < $to.epochMillis
  WITH datetime.truncate('month', datetime({epochMillis: approved})) AS month, currency, amount
  RETURN month.epochMillis AS start, (month + duration({months: 1})).epochMillis AS end, currency,
         'rewards' AS source, sum(amount) AS amount
}
RETURN start, end, currency, source, amount
