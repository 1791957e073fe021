"""Payout batches.  A batch takes, per member and currency, the approved reward lines and
the statements of complete commission runs up to a date that no batch holds yet, when
their total reaches the minimum; it marks them (a line or statement is in at most one
batch) and lists the totals; it is exported as CSV and marked paid."""

from __future__ import annotations

import uuid
from collections import defaultdict

from ..db import Database, Tx
from ..domain import APPROVED
from ..errors import Invalid, NotFound
from ..money import format_minor
from ..network.fields import parse_amount
from ..periods import parse_instant
from ..rewards.buckets import columns_of, epoch_ms, packed, unpacked

__all__ = ["PayoutsService"]

# A batch reads and marks every bucket with payable lines (all of them, a month after a
# million first orders): longer than an API read.
BATCH_TIMEOUT_S = 600


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
        self.db.write_tx(self._create, batch_id, at.isoformat(), minor, timeout=BATCH_TIMEOUT_S)
        return self.batch(batch_id)

    @staticmethod
    def _create(tx: Tx, batch_id: str, through: str, minimum: dict[str, int]) -> None:
        """The batch: under the payout lock (no line or statement can enter two batches),
        per member and currency, the approved reward lines (approved by then; clawbacks
        included) and the statements of complete commission runs ending by then, not in a
        batch yet.  Groups whose total reaches the minimum (per currency; otherwise anything
        above zero) enter the batch and the rest wait for a later one."""
        tx.run("payouts/lock")
        until = epoch_ms(parse_instant(through, "through"))
        nodes = [row["node"] for row in tx.run("payouts/approvable_buckets")]
        lines = [unpacked(node) for node in nodes]
        groups: dict[tuple[str, str], list] = defaultdict(lambda: [0, [], []])  # total, lines, statements
        for b, held in enumerate(lines):
            for i, line in enumerate(held):
                if (line.status == APPROVED and not line.payout and line.currency
                        and (line.approves if line.approves >= 0 else line.at) <= until):
                    group = groups[(line.member, line.currency)]
                    group[0] += line.amount
                    group[1].append((b, i))
        statements = tx.record("payouts/open_statements", through=through)
        for key, amount in zip(statements["keys"], statements["amounts"]):
            group = groups[(key[1], key[2])]
            group[0] += amount
            group[2].append(key)
        chosen = sorted((k, g) for k, g in groups.items() if g[0] > 0 and g[0] >= minimum.get(k[1], 0))
        settled: set[int] = set()
        for _, (_, taken, _) in chosen:
            for b, i in taken:
                lines[b][i] = lines[b][i]._replace(payout=batch_id)
                settled.add(b)
        if settled:
            # A node's lines keep their order (the batch is not part of it) and its digest.
            tx.run("rewards/rewrite_buckets", buckets=[{**nodes[b], **packed(nodes[b]["rule_id"], columns_of(lines[b]))}
                                                       for b in sorted(settled)])
        tx.run("payouts/create_batch", id=batch_id, through=through, members=len(chosen),
               minimum=[f"{currency} {amount}" for currency, amount in sorted(minimum.items())],
               statements=[key for _, (_, _, keys) in chosen for key in keys],
               group_members=[m for (m, _), _ in chosen], group_currencies=[c for (_, c), _ in chosen],
               group_totals=[g[0] for _, g in chosen], group_statements=[len(g[2]) for _, g in chosen],
               group_lines=[len(g[1]) for _, g in chosen])

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
        """Mark a batch paid (again: the same answer); NotFound when there is none.  Its
        lines count as paid in the members' balances from then on (which read the batch's
        status)."""
        if not self.db.write("payouts/mark_paid", id=batch_id):
            raise NotFound(f"payout batch {batch_id} does not exist")
        return self.batch(batch_id)
