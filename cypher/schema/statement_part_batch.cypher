// Reversals and adjustments read the parts of one batch; completion those of one run.
CREATE INDEX statement_part_batch IF NOT EXISTS FOR (p:StatementPart) ON (p.run_id, p.batch)
