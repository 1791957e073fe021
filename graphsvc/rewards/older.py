"""Reward lines older releases stored a node each (with a total node per member, currency
and status), converted to buckets by ``db migrate``."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timezone
from operator import itemgetter
from typing import Callable

from ..db import Database
from .buckets import LINE_LISTS, Stored, batches, bucket_count, month_of, parts, placed

__all__ = ["convert_older_lines"]

PAGE = 100_000  # older lines read per query
OLDER_CONSTRAINTS = ("reward_line_key_unique", "reward_total_key_unique")


def convert_older_lines(db: Database, echo: Callable[[str], None] = lambda _: None) -> int:
    """Move every line stored a node each into its rule's buckets (the payout batches
    holding some get their groups stored first), then remove those nodes and their
    schema; how many lines were moved.  Run again after an interruption, it writes the
    buckets again from the lines still there."""
    db.write("payouts/convert_older_groups", timeout=3600)
    lines: dict[str, list[Stored]] = defaultdict(list)
    after = ""
    while True:
        page = db.read("rewards/older_lines_page", timeout=3600, after=after, limit=PAGE)[0]
        if not page["keys"]:
            break
        for rule_id, *fields in zip(page["rule_ids"], page["members"], *(page[name] for name in LINE_LISTS)):
            lines[rule_id].append(Stored(*fields))
        after = page["keys"][-1]
        echo(f"Read {sum(map(len, lines.values())):,} reward lines stored a node each...")
    for rule_id, held in sorted(lines.items()):
        months: dict[int, list[Stored]] = defaultdict(list)
        for line in held:
            months[month_of(datetime.fromtimestamp(line.at / 1000, timezone.utc), line.kind)].append(line)
        sizes = {month: len(mine) for month, mine in months.items()}
        counts = dict(zip(*itemgetter("months", "counts")(db.read("rewards/rule_buckets", rule_id=rule_id)[0])))
        for month, mine in sorted(months.items()):
            if month not in counts:  # (as an interrupted conversion left them)
                counts[month] = bucket_count(month, sizes)
                db.write("rewards/create_months", rule_id=rule_id, months=[month], counts=[counts[month]])
            by_key = placed(month, ((line.member, line) for line in mine), counts[month])
            for run in batches(sorted(by_key), by_key):
                db.write("rewards/rewrite_buckets", timeout=3600,
                         buckets=[part for key in run for part in parts(rule_id, "", key, by_key[key], 0)])
    db.write_autocommit("rewards/delete_older_nodes", timeout=3600)
    for name in OLDER_CONSTRAINTS:
        db.write("commissions/drop_old_ledger_constraint", constraint=name)
    return sum(map(len, lines.values()))
