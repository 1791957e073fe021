"""The ledger's shape: batches of lines, statement parts and statements.

A run settles its orders in batches of ``BATCH`` orders that are neighbours in the
tree.  Each batch is one ``LedgerBatch`` record (unique per run and batch number,
naming every order it settled) and one ``StatementPart`` per beneficiary, holding
that beneficiary's lines of the batch as parallel lists; completing a run writes one
``Statement`` per beneficiary and currency with its totals.  So a million orders
are a few hundred batches and about one part per paid member, not millions of
line records (``docs/ledger.md``).

Releases before this one kept a node per line (``:Commission``) and totals per
beneficiary, kind and month (``:CommissionTotal``); :func:`convert_older_runs`
rewrites those runs as batches, resumably.
"""

from __future__ import annotations

from typing import Callable

from ..db import Database

__all__ = ["BATCH", "batch_key", "convert_older_runs"]

BATCH = 2000
# Constraints and indexes of the older shape, dropped once no line of it is left.
OLDER_CONSTRAINTS = ("commission_line_unique", "commission_line_key_unique", "commission_total_unique")
OLDER_INDEXES = ("commission_order_id", "commission_run_beneficiary_order", "commission_run_id",
                 "commission_total_run_id")


def batch_key(number: int) -> str:
    """A batch's key in its run: zero-padded, so keys sort as numbers (and statements
    list parts in the order they were written)."""
    return f"{number:07d}"


def convert_older_runs(db: Database, echo: Callable[[str], None] = lambda _: None) -> int:
    """Rewrite every run still holding lines of the older shape as ledger batches (and
    statements, when complete), then remove the older lines; returns the runs converted.
    Idempotent and resumable: a batch already written is skipped, and a run marked
    converted only has its older lines removed."""
    runs = db.read("commissions/unconverted_runs", timeout=3600)
    for run in runs:
        if not run["converted"]:
            groups = db.read("commissions/old_line_groups", timeout=3600, run_id=run["id"])
            chunks = [(group, group["order_ids"][first : first + BATCH])
                      for group in groups for first in range(0, len(group["order_ids"]), BATCH)]
            written = {b["batch"] for b in db.read("commissions/run_batches", run_id=run["id"])}
            echo(f"Converting commission run {run['id']} to ledger batches: {len(chunks)} batch(es)...")
            for number, (group, order_ids) in enumerate(chunks):
                if batch_key(number) not in written:
                    db.write("commissions/convert_batch", timeout=3600, run_id=run["id"], batch=batch_key(number),
                             kind=group["kind"], generation=group["generation"],
                             reverses_run_id=group["reverses_run_id"], order_ids=order_ids)
            if run["status"] == "complete":
                db.write("commissions/finish_runs", timeout=3600, ids=[run["id"]])
            db.write("commissions/mark_converted", id=run["id"])
        db.write_autocommit("commissions/delete_old_lines", timeout=3600, run_id=run["id"])
    for name in OLDER_CONSTRAINTS:
        db.write("commissions/drop_old_ledger_constraint", constraint=name)
    for name in OLDER_INDEXES:
        db.write("schema_meta/drop_index", index=name)
    return len(runs)
