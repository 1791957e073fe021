// An index no longer used (schema.RETIRED_INDEXES, or the ledger's older shape).
DROP INDEX $index IF EXISTS
