// The scratch member ledgers' index, dropped when the layout bench is done.
DROP CONSTRAINT bench_layout_ledger_unique IF EXISTS
