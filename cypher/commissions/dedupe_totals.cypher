// Before the uniqueness constraint on totals exists: keep one of each set of equal-keyed
// totals that concurrent completions wrote (each summed the same immutable lines).
MATCH (t:CommissionTotal)
WITH t.run_id AS run, t.beneficiary_id AS b, t.order_kind AS k, t.order_month AS m, t.currency AS c,
     collect(t) AS totals
WHERE size(totals) > 1
UNWIND totals[1..] AS duplicate
DELETE duplicate
RETURN count(*) AS deleted
