"""Every query that reads orders or identifier links skips the rows of imports still
writing; only the queries that write them, or read rows they were handed, may not."""

import re

from graphsvc.db import CYPHER_DIR

# Writers, the rollback, queries given ids that a reader above already filtered (or that
# an older ledger names), a benchmark's data change, and the benchmark's baseline that
# measures what the clause costs.
EXEMPT = {
    "network/stage_orders", "network/stage_identifiers", "network/upsert_orders", "imports/discard_staged",
    "commissions/pay_batch", "commissions/convert_batch", "bench/count_paid_orders_unfiltered", "bench/set_currencies",
}
ROW_PATTERN = re.compile(r":Order\b|:USES\b")
CLAUSE = "WITH COLLECT { MATCH (i:Import {status: 'writing'}) RETURN i.id } AS unpublished"


def test_every_reader_of_imported_rows_skips_unfinished_imports():
    readers = {}
    for path in CYPHER_DIR.rglob("*.cypher"):
        name = str(path.relative_to(CYPHER_DIR).with_suffix(""))
        text = "\n".join(line for line in path.read_text().splitlines() if not line.lstrip().startswith("//"))
        if ROW_PATTERN.search(text) and not name.startswith("schema/") and name not in EXEMPT:
            readers[name] = CLAUSE in text and "IN unpublished" in text
    assert readers and all(readers.values()), [name for name, ok in readers.items() if not ok]
