"""A member's reward totals per currency and status, kept by every write that changes
reward lines, in that write's transaction: a balance is then one read of a few totals
instead of a sum over the member's lines (tens of thousands for a big referrer).

A total counts the lines of some amount and currency (a badge counts nowhere) under the
status the member sees: the line's own, except that an approved line in a payout batch
counts as in_payout, then paid.  Writers say which lines they added and which they took
away; :func:`deltas` turns that into what each total changes by.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable, NamedTuple

from ..db import Database, Tx
from ..domain import IN_PAYOUT, PAID

__all__ = ["Counted", "deltas", "apply", "moved", "backfill"]


class Counted(NamedTuple):
    """Lines counted in one total: whose, in which currency and status, their amount in
    minor units and how many."""

    member_id: str | None
    currency: str | None
    status: str
    amount: int | None
    lines: int = 1


def deltas(added: Iterable[Counted], removed: Iterable[Counted]) -> list[dict]:
    """What each total changes by when ``added`` lines enter it and ``removed`` ones leave;
    lines of no amount or currency count nowhere, and totals that do not change are left out.

    >>> deltas([Counted("m", "EUR", "approved", 500), Counted("m", "", "approved", 0)],
    ...        [Counted("m", "EUR", "pending", 500), Counted(None, None, "pending", None)])
    [{'member_id': 'm', 'currency': 'EUR', 'status': 'approved', 'amount': 500, 'lines': 1}, \
{'member_id': 'm', 'currency': 'EUR', 'status': 'pending', 'amount': -500, 'lines': -1}]
    """
    change: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for sign, items in ((1, added), (-1, removed)):
        for c in items:
            if c.member_id is not None and c.currency and c.amount:
                total = change[(c.member_id, c.currency, c.status)]
                total[0] += sign * c.amount
                total[1] += sign * c.lines
    return [{"member_id": m, "currency": cur, "status": s, "amount": amount, "lines": lines}
            for (m, cur, s), (amount, lines) in sorted(change.items()) if amount or lines]


def apply(tx: Tx, added: Iterable[Counted], removed: Iterable[Counted]) -> None:
    """Change the totals inside the writer's transaction ``tx``."""
    change = deltas(added, removed)
    if change:
        tx.run("rewards/add_to_totals", deltas=change)


def moved(tx: Tx, batch_id: str, to: str, from_status: str | None = None) -> None:
    """Move a payout batch's lines to the total ``to``, from their line status (a batch just
    made) or from ``from_status`` (a batch paid)."""
    held = [Counted(**row) for row in tx.run("payouts/batch_line_totals", id=batch_id)]
    apply(tx, [c._replace(status=to) for c in held],
          [c._replace(status=from_status) if from_status else c for c in held])


def backfill(db: Database) -> bool:
    """Compute every total from the lines, once, for a store whose lines were written
    before totals were kept; whether it had to."""
    if db.read("rewards/totals_backfilled")[0]["done"]:
        return False
    db.write_autocommit("rewards/backfill_totals", timeout=3600, paid=PAID, in_payout=IN_PAYOUT)
    return True
