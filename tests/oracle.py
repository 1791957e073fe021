"""An independent in-memory model of the referral network, written plainly,
against which the service's stored and computed answers are checked."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path


class NetworkOracle:
    def __init__(self, sponsor_of: dict[str, str | None]):
        self.sponsor_of = dict(sponsor_of)

    @classmethod
    def from_csv(cls, path: Path) -> "NetworkOracle":
        with open(path, newline="") as f:
            return cls({row["id"]: row["sponsor_id"] or None for row in csv.DictReader(f)})

    def children(self) -> dict[str, list[str]]:
        kids = defaultdict(list)
        for member, sponsor in self.sponsor_of.items():
            if sponsor is not None:
                kids[sponsor].append(member)
        return kids

    def downline(self, member: str, depth: int) -> list[tuple[int, str]]:
        """(level, id) of everyone within depth levels, ordered by level then id."""
        kids = self.children()
        found, frontier = [], [member]
        for level in range(1, depth + 1):
            frontier = sorted(c for m in frontier for c in kids[m])
            found += [(level, c) for c in frontier]
        return found

    def downline_total(self, member: str) -> int:
        return len(self.downline(member, 10_000))

    def upline(self, member: str) -> list[str]:
        chain = []
        while self.sponsor_of[member] is not None:
            member = self.sponsor_of[member]
            chain.append(member)
        return chain

    def move(self, member: str, sponsor: str) -> bool:
        """Apply a sponsor change unless it would close a loop; says whether applied."""
        if sponsor == member or member in self.upline(sponsor):
            return False
        self.sponsor_of[member] = sponsor
        return True


def commission_oracle(sponsor_of, status_of, orders, rates, compression, kinds, start, end):
    """Ledger lines {(order_id, beneficiary, level): Decimal amount} computed plainly:
    walk each seller's sponsors, skip (compression) or leave unpaid (no compression)
    members who are not active, amount x rate rounded half-even to the cent."""
    from decimal import ROUND_HALF_EVEN, Decimal

    lines = {}
    for order in orders:
        if order["status"] != "paid" or order["kind"] not in kinds or not (start <= order["at"] < end):
            continue
        upline, member = [], order["seller_id"]
        while sponsor_of[member] is not None:
            member = sponsor_of[member]
            upline.append(member)
        if compression:
            upline = [m for m in upline if status_of[m] == "active"]
        for level, (member, rate) in enumerate(zip(upline, rates), start=1):
            if status_of[member] != "active":
                continue
            amount = (Decimal(order["amount"]) * Decimal(rate)).quantize(Decimal("0.01"), ROUND_HALF_EVEN)
            if amount > 0:
                lines[(order["id"], member, level)] = amount
    return lines
