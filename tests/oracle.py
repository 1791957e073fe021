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
