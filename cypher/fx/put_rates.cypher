// Exchange rates to the reporting currency, per currency and month (yyyymm); a rate
// given again replaces the stored one.
UNWIND $rows AS r
MERGE (x:FxRate {currency: r.currency, month: r.month})
SET x.rate = r.rate, x.to = $reporting
