// Ring analysis reads what given members earned, in every run.
CREATE INDEX statement_part_beneficiary IF NOT EXISTS FOR (p:StatementPart) ON (p.beneficiary_id)
