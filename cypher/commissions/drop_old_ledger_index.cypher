// An index of the ledger's older shape, once no line of it is left.
DROP INDEX $index IF EXISTS
