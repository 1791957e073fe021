"""Recruitment-vs-sales figures and rule checks, as pure functions over rows.

Definitions:

- end-user volume = retail + personal; recruitment volume = enrollment + inventory;
  ``recruitment_ratio = recruitment / end_user`` (``None`` — unbounded — when
  there is no end-user volume);
- commissions are ledger lines (reversals included) of the complete runs whose
  periods fall inside the period; a member-month "with commissions" is a member
  and the calendar month of the orders they were paid on, with a positive total;
- a participant's net loss: paid purchases as buyer in the period exceed the
  commissions paid to them in the period.

Branch figures (a member and everyone below) are computed for every member at
once (see :mod:`.prepared`); the rules are in :mod:`.rules`.  Money stays in
integer minor units (int64); ratios are Decimal.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Sequence

import numpy as np

from ..domain import ENROLLMENT, INVENTORY, ORDER_KINDS, PERSONAL, RETAIL
from .prepared import (ENROLLMENT_AT, INVENTORY_AT, PERSONAL_AT, RETAIL_AT, Forest, Line, Member, Order,
                       OrderColumns, Prepared, customer_contributions)
from .rules import MIN_RETAIL_CUSTOMERS, RULES, Facts, check, income_net_loss, share

__all__ = [
    "Order",
    "OrderColumns",
    "Line",
    "Member",
    "Branches",
    "programme",
    "branches",
    "figures",
    "recruitment_ratio",
    "risk_key",
]


def recruitment_ratio(volumes: dict) -> Decimal | None:
    """Recruitment volume over end-user volume; None (unbounded) without end-user volume.

    >>> recruitment_ratio({"retail": 100, "personal": 100, "enrollment": 300, "inventory": 0})
    Decimal('1.5')
    >>> recruitment_ratio({"retail": 0, "personal": 0, "enrollment": 10, "inventory": 0}) is None
    True
    """
    return share(volumes[ENROLLMENT] + volumes[INVENTORY], volumes[RETAIL] + volumes[PERSONAL])


# -- branches -------------------------------------------------------------------------------
FLAGS = ("recruitment_exceeds_end_user", "retail_minority", "fewer_than_10_retail_customers")


class Branches:
    """Figures for every member's branch, as arrays; ``[member_id]`` gives one as a dict."""

    def __init__(self, forest: Forest, volumes: np.ndarray, commissions: np.ndarray,
                 participants: np.ndarray, customers: np.ndarray):
        self.ids, self.index = forest.ids, forest.index
        self.volumes, self.commissions = volumes, commissions
        self.branch_size, self.customers = participants, customers
        end_user = volumes[:, RETAIL_AT] + volumes[:, PERSONAL_AT]
        self.recruitment = volumes[:, ENROLLMENT_AT] + volumes[:, INVENTORY_AT]
        total = volumes.sum(axis=1)
        self.flags = np.stack([self.recruitment > end_user,
                               (total > 0) & (2 * volumes[:, RETAIL_AT] <= total),
                               (total > 0) & (customers < MIN_RETAIL_CUSTOMERS)], axis=1)

    def rename(self, names) -> None:
        """Name members by ``names[id]`` (the service computes on internal node ids)."""
        self.ids = [names[i] for i in self.ids]
        self.index = {member_id: node for node, member_id in enumerate(self.ids)}

    def __getitem__(self, member_id) -> dict:
        return self._item(self.index[member_id])

    def _item(self, node: int) -> dict:
        volumes = {k: int(v) for k, v in zip(ORDER_KINDS, self.volumes[node])}
        return {
            "member_id": self.ids[node],
            "branch_size": int(self.branch_size[node]),
            "volumes": volumes,
            "commissions_by_kind": {k: int(v) for k, v in zip(ORDER_KINDS, self.commissions[node])},
            "distinct_retail_customers": int(self.customers[node]),
            "recruitment_ratio": recruitment_ratio(volumes),
            "recruitment_volume": int(self.recruitment[node]),
            "flags": [flag for flag, on in zip(FLAGS, self.flags[node]) if on],
        }

    def ranked(self, min_size: int) -> list[dict]:
        """Branches of at least ``min_size`` participants, riskiest first (see :func:`risk_key`)."""
        nodes = np.flatnonzero(self.branch_size >= min_size)
        items = [self._item(int(v)) for v in nodes]
        return sorted(items, key=lambda b: (risk_key(b), b["member_id"]), reverse=True)

    def flagged(self) -> list[dict]:
        """Every member whose branch raises a flag, by member id."""
        items = [self._item(int(v)) for v in np.flatnonzero(self.flags.any(axis=1))]
        return sorted(items, key=lambda b: b["member_id"])


def branches(members: Sequence[Member], orders: Sequence[Order] | OrderColumns,
             lines: Sequence[Line]) -> Branches:
    """Per member, figures for their branch (the member and everyone below).

    Examples
    --------
    >>> members = [Member("a", None), Member("b", "a"), Member("c", "b")]
    >>> orders = [Order("b", None, "retail", 1000, 202401, "x"), Order("c", None, "retail", 500, 202401, "x"),
    ...           Order("c", "c", "enrollment", 3000, 202401)]
    >>> result = branches(members, orders, [])
    >>> result["a"]["volumes"]["retail"], result["a"]["distinct_retail_customers"], result["c"]["recruitment_ratio"]
    (1500, 1, Decimal('6'))
    """
    return _branches(Prepared.of(members, orders, lines))


def _branches(p: Prepared) -> Branches:
    forest, n = p.forest, len(p.forest.ids)
    own = np.concatenate([p.orders.per_member(n), p.lines.per_member(n), p.participant.astype(np.int64)[:, None],
                          customer_contributions(forest, p.orders)[:, None]], axis=1)
    summed = forest.branch_sums(own)
    k = len(ORDER_KINDS)
    return Branches(forest, summed[:, :k], summed[:, k : 2 * k], summed[:, 2 * k], summed[:, 2 * k + 1])


def risk_key(branch: dict) -> tuple:
    """Ranking: most recruitment-driven volume first (unbounded ratio highest)."""
    ratio = branch["recruitment_ratio"]
    return (Fraction(10**12) if ratio is None and branch["recruitment_volume"] else Fraction(ratio or 0),
            branch["recruitment_volume"])


# -- programme ------------------------------------------------------------------------------
def _median(values: np.ndarray) -> Decimal:
    if not len(values):
        return Decimal(0)
    ordered = np.sort(values)
    mid = len(ordered) // 2
    return Decimal(int(ordered[mid])) if len(ordered) % 2 else Decimal(int(ordered[mid - 1]) + int(ordered[mid])) / 2


def programme(members: Sequence[Member], orders: Sequence[Order] | OrderColumns, lines: Sequence[Line],
              thresholds: dict | None = None) -> dict:
    """Programme-wide volumes, commissions, rule checks and income figures.

    ``members`` are every member (``participant`` false for those who joined
    after the period), ``orders`` the paid orders in the period, ``lines`` the
    ledger lines of the runs inside the period.  Thresholds default to the
    rules table's.

    Examples
    --------
    >>> members = [Member("a", None), Member("b", "a")]
    >>> orders = [Order("b", "b", "enrollment", 5000, 202401), Order("b", None, "retail", 5000, 202401, "x")]
    >>> report = programme(members, orders, [Line("a", 500, "enrollment", 202401)])
    >>> [(c["rule"], c["passed"]) for c in report["checks"]][:2]
    [('koscot_recruitment_rewards', False), ('herbalife_end_user_sales', False)]
    """
    return _programme(Prepared.of(members, orders, lines), thresholds)


def figures(members: Sequence[Member], orders: Sequence[Order] | OrderColumns, lines: Sequence[Line],
            thresholds: dict | None = None) -> tuple[dict, Branches]:
    """:func:`programme` and :func:`branches` from one preparation of the rows."""
    prepared = Prepared.of(members, orders, lines)
    return _programme(prepared, thresholds), _branches(prepared)


def _programme(p: Prepared, thresholds: dict | None) -> dict:
    thresholds = thresholds or {}
    facts = Facts(p)
    checks = [check(rule, facts, thresholds.get(rule.id)) for rule in RULES]
    earnings, commissions = facts.earnings, facts.commissions
    participants = len(earnings)
    ranked_earnings = np.sort(earnings)[::-1]
    top = ranked_earnings[: max(1, -(-participants // 100))] if participants else ranked_earnings
    positive = int(earnings[earnings > 0].sum())
    return {
        "volumes": {k: int(v) for k, v in zip(ORDER_KINDS, facts.volumes)},
        "commissions_by_kind": {k: int(v) for k, v in zip(ORDER_KINDS, commissions)},
        "end_user_commission_share": share(commissions[RETAIL_AT] + commissions[PERSONAL_AT], commissions.sum()),
        "checks": checks,
        "income": {
            "participants": participants,
            "with_zero_commission": share(int((earnings <= 0).sum()), participants),
            "median_commission": _median(earnings),
            "top_1pct_share": share(int(top.sum()), positive) if positive else None,
            "net_loss_share": income_net_loss(facts)[0],
            "distribution": ranked_earnings,
        },
    }
