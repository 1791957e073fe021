"""Constraints and indexes, one statement per file under cypher/schema/, and
the data changes that keep older data readable.

A file's name is the name of the constraint or index it creates, so
readiness can check that every one exists and is online.
"""

from __future__ import annotations

from typing import Callable

from .db import CYPHER_DIR, Database

__all__ = ["names", "migrate", "missing"]


def names() -> list[str]:
    """The names of every constraint and index under cypher/schema/."""
    return sorted(path.stem for path in (CYPHER_DIR / "schema").glob("*.cypher"))


def migrate(db: Database, echo: Callable[[str], None] = lambda _: None) -> list[str]:
    """Apply every statement (each is IF NOT EXISTS), then bring older data up to
    date, saying what takes long; returns the names applied."""
    applied = names()
    if "commission_line_unique" in _online(db):
        echo("Giving ledger lines of an older release their generation (once; this reads every line)...")
        db.write_autocommit("commissions/set_line_generation", timeout=3600)
        db.write("commissions/drop_old_line_constraint")
    if "commission_total_unique" in missing(db):
        # Totals doubled by concurrent completions (older releases) would block the constraint.
        db.write("commissions/dedupe_totals", timeout=3600)
    for name in applied:
        db.write(f"schema/{name}")
    db.write("schema_meta/await_indexes", timeout=300)
    without_totals = [row["id"] for row in db.read("commissions/runs_without_totals")]
    if without_totals:
        echo(f"Writing ledger totals of {len(without_totals)} commission run(s) completed by an older release "
             "(this reads every ledger line of those runs)...")
        db.write("commissions/finish_runs", timeout=3600, ids=without_totals)
    return applied


def _online(db: Database) -> set[str]:
    return {row["name"] for row in db.read("schema_meta/online_indexes")}


def missing(db: Database) -> list[str]:
    """Names of constraints or indexes that are absent or not yet online."""
    online = _online(db)
    return [name for name in names() if name not in online]
