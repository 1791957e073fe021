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
  MATCH (x:RewardLine)
  WHERE x.status = 'approved' AND x.amount_minor <> 0
  WITH x, coalesce(x.approves_at, x.at) AS approved
  WHERE approved >= $from AND approved < $to
  WITH datetime.truncate('month', approved) AS month, x
  RETURN month.epochMillis AS start, (month + duration({months: 1})).epochMillis AS end, x.currency AS currency,
         'rewards' AS source, sum(x.amount_minor) AS amount
}
RETURN start, end, currency, source, amount
