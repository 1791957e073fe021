// The stored rates of these (currency, month) pairs into the reporting currency.
UNWIND $pairs AS p
MATCH (x:FxRate {currency: p[0], month: p[1]})
WHERE x.to = $reporting
RETURN x.currency AS currency, x.month AS month, x.rate AS rate
