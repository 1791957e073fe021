"""Payout batches.  A batch takes, per member and currency, the approved reward lines and
the statements of complete commission runs up to a date that no batch holds yet, when
their total reaches the minimum; it marks them (a line or statement is in at most one
batch) and lists the totals; it is exported as CSV and marked paid."""

from __future__ import annotations

import uuid

from ..db import Database, Tx
from ..domain import IN_PAYOUT, PAID
from ..errors import Invalid, NotFound
from ..money import format_minor
from ..network.fields import parse_amount
from ..periods import parse_instant
from ..rewards import totals

__all__ = ["PayoutsService"]


class PayoutsService:
    """Payout batches over the ledger and the reward lines."""

    def __init__(self, db: Database):
        self.db = db

    def create(self, through: str, minimum: dict[str, str] | None = None) -> dict:
        """A new batch of everything payable up to ``through`` whose total per member and
        currency reaches ``minimum`` (decimal strings per currency); its groups."""
        at = parse_instant(through, "through")
        minor: dict[str, int] = {}
        for currency, amount in (minimum or {}).items():
            try:
                minor[currency] = parse_amount(currency, amount)[1]
            except (KeyError, ValueError, TypeError) as exc:
                raise Invalid("the minimum is not valid", {f"minimum.{currency}": [f"A decimal amount ({exc})."]})
        batch_id = f"payout-{uuid.uuid4().hex[:16]}"
        self.db.write_tx(self._create, batch_id, at.isoformat(), minor)
        return self.batch(batch_id)

    @staticmethod
    def _create(tx: Tx, batch_id: str, through: str, minimum: dict[str, int]) -> None:
        """The batch, and its reward lines moved to in_payout in the members' totals."""
        tx.run("payouts/lock")
        tx.run("payouts/create_batch", id=batch_id, through=through, minimum=minimum)
        totals.moved(tx, batch_id, IN_PAYOUT)

    def batch(self, batch_id: str) -> dict:
        """A batch with its totals per member and currency; NotFound when there is none."""
        rows = self.db.read("payouts/batch", id=batch_id)
        if not rows:
            raise NotFound(f"payout batch {batch_id} does not exist")
        row = rows[0]
        return {**{k: row[k] for k in ("id", "through", "status", "created_at", "paid_at")},
                "items": [{"member_id": g["member_id"], "currency": g["currency"],
                           "amount": format_minor(g["total_minor"], g["currency"]),
                           "statements": g["statements"], "reward_lines": g["reward_lines"]} for g in row["groups"]]}

    def mark_paid(self, batch_id: str) -> dict:
        """Mark a batch paid (again: the same answer); NotFound when there is none."""
        if not self.db.write_tx(self._mark_paid, batch_id):
            raise NotFound(f"payout batch {batch_id} does not exist")
        return self.batch(batch_id)

    @staticmethod
    def _mark_paid(tx: Tx, batch_id: str) -> bool:
        """Mark the batch paid and, the first time, move its lines to paid in the totals;
        whether the batch exists."""
        rows = tx.run("payouts/mark_paid", id=batch_id)
        if rows and rows[0]["paying"]:
            totals.moved(tx, batch_id, PAID, from_status=IN_PAYOUT)
        return bool(rows)
