"""Constraints and indexes, one statement per file under cypher/schema/, and
the data changes that keep older data readable.

A file's name is the name of the constraint or index it creates, so
readiness can check that every one exists and is online.
"""

from __future__ import annotations

from typing import Callable

from .analysis_runs.kinds import RANKS_PER_NODE
from .commissions.ledger import convert_older_runs
from .db import CYPHER_DIR, Database
from .rewards.older import convert_older_lines

__all__ = ["names", "migrate", "missing", "RETIRED_INDEXES"]

# Indexes older versions created that a newer one replaced: dropped by migrate.
# click_member_at and then click_member_stats were replaced by click_stats, which covers both.
# referrer_score_run indexed the ReferrerScore node per member that ReferrerScores blocks replaced;
# reward_line_* indexed the RewardLine node per line that RewardBucket nodes replaced
# (rewards/older.py moves the lines and drops the unique constraints).
RETIRED_INDEXES = ("click_member_at", "click_member_stats", "referrer_score_run", "reward_line_beneficiary",
                   "reward_line_rule", "reward_line_member_at_key", "reward_line_payout")


def names() -> list[str]:
    """The names of every constraint and index under cypher/schema/."""
    return sorted(path.stem for path in (CYPHER_DIR / "schema").glob("*.cypher"))


def migrate(db: Database, echo: Callable[[str], None] = lambda _: None) -> list[str]:
    """Apply every statement (each is IF NOT EXISTS), then bring older data up to
    date, saying what takes long; returns the names applied."""
    applied = names()
    db.write("schema_meta/one_payout_lock")  # else payout_lock_id_unique could not be created
    for name in applied:
        db.write(f"schema/{name}")
    for name in RETIRED_INDEXES:
        db.write("schema_meta/drop_index", index=name)
    db.write("schema_meta/await_indexes", timeout=300)
    scores = db.write("analysis/convert_referrer_scores", timeout=3600, block=RANKS_PER_NODE)[0]["converted"]
    if scores:
        echo(f"Converted {scores:,} referrer scores to blocks of ranks.")
    lines = convert_older_lines(db, echo)
    if lines:
        echo(f"Moved {lines:,} reward lines stored a node each into buckets.")
    converted = convert_older_runs(db, echo)
    if converted:
        echo(f"Converted {converted} commission run(s) to ledger batches.")
    return applied


def _online(db: Database) -> set[str]:
    return {row["name"] for row in db.read("schema_meta/online_indexes")}


def missing(db: Database) -> list[str]:
    """Names of constraints or indexes that are absent or not yet online."""
    online = _online(db)
    return [name for name in names() if name not in online]
