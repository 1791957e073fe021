// A constraint of the ledger's older shape, once no line of it is left.
DROP CONSTRAINT $constraint IF EXISTS
