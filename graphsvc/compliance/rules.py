"""The compliance rules: each a small function over a period's :class:`Facts`,
registered against the rule table with its threshold and legal source.

A rule function returns ``(observed, listed)``: the observed share (a
Decimal, or None when the period has no data for it) and, for rules that
name members, the member-months behind the figure (else None).  Definitions
of the volumes and commissions are in :mod:`graphsvc.compliance.metrics`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Callable

import numpy as np

from .prepared import (ENROLLMENT_AT, INVENTORY_AT, PERSONAL_AT, RETAIL_AT, Prepared, month_keys, split_month_key,
                       sum_by_key)

__all__ = ["Rule", "RULES", "Facts", "share", "check"]

PERSONAL_CAP_MINOR = 20_000  # 200.00 per member per calendar month
MIN_RETAIL_CUSTOMERS = 10
Observed = tuple[Decimal | None, list | None]


def share(part, whole) -> Decimal | None:
    """``part / whole`` as a Decimal; None when there is no whole.

    >>> share(1, 4), share(3, 0)
    (Decimal('0.25'), None)
    """
    return None if not whole else Decimal(int(part)) / Decimal(int(whole))


@dataclass(frozen=True)
class Rule:
    """A rule of the table: what it measures, when it passes and where it comes from."""

    id: str
    description: str
    threshold: Decimal
    passes: str  # "eq", "ge" or "le": observed compared with the threshold
    source: str
    observe: Callable[["Facts"], Observed]


RULES: list[Rule] = []


def _rule(id: str, description: str, threshold: Decimal, passes: str, source: str):
    """Register the decorated function as the rule's observation, in table order."""
    def register(observe: Callable[[Facts], Observed]) -> Callable[[Facts], Observed]:
        RULES.append(Rule(id, description, threshold, passes, source, observe))
        return observe
    return register


def check(rule: Rule, facts: Facts, threshold: Decimal | None = None) -> dict:
    """The rule's outcome over the facts: observed, threshold, passed (None
    without data) and, where the rule names members, ``listed``.

    >>> c = check(RULES[0], Facts(Prepared.of([], [], [])))
    >>> c["rule"], c["observed"], c["passed"]
    ('koscot_recruitment_rewards', None, None)
    """
    threshold = rule.threshold if threshold is None else Decimal(str(threshold))
    observed, listed = rule.observe(facts)
    passed = None if observed is None else {"eq": observed == threshold, "ge": observed >= threshold,
                                            "le": observed <= threshold}[rule.passes]
    outcome = {"rule": rule.id, "description": rule.description, "threshold": threshold, "observed": observed,
               "passed": passed, "source": rule.source}
    return outcome if listed is None else {**outcome, "listed": listed}


class Facts:
    """What the rules and the income figures share, each computed once when first asked."""

    def __init__(self, p: Prepared):
        self.p = p
        self.n = len(p.forest.ids)

    @cached_property
    def volumes(self) -> np.ndarray:
        """Paid volume per order kind (KIND_AT columns)."""
        return self.p.orders.per_member(self.n).sum(axis=0)

    @cached_property
    def commissions(self) -> np.ndarray:
        """Ledger totals per kind of order paid on."""
        return self.p.lines.per_member(self.n).sum(axis=0)

    @cached_property
    def capped_personal(self) -> int:
        """Personal volume counted toward end-user volume: up to the cap per member and month."""
        o = self.p.orders
        personal = o.kind == PERSONAL_AT
        buyer_or_seller = np.where(o.buyer >= 0, o.buyer, o.member)[personal]
        _, sums = sum_by_key(month_keys(buyer_or_seller, o.month[personal]), o.amount[personal])
        return int(np.minimum(sums, PERSONAL_CAP_MINOR).sum())

    @cached_property
    def with_commissions(self) -> list[tuple[int, int]]:
        """Member-months (node, yyyymm) with a positive commission total, by member id then month."""
        c = self.p.lines
        keys, totals = sum_by_key(month_keys(c.member, c.month), c.amount)
        ids = self.p.forest.ids
        return sorted(map(split_month_key, keys[totals > 0].tolist()), key=lambda nm: (ids[nm[0]], nm[1]))

    @cached_property
    def earnings(self) -> np.ndarray:
        """Commissions paid to each participant."""
        return self.p.lines.per_member(self.n, by_kind=False)[self.p.participant]

    @cached_property
    def bought(self) -> np.ndarray:
        """Paid purchases as buyer of each participant."""
        o = self.p.orders
        has_buyer = o.buyer >= 0
        bought = np.zeros(self.n, dtype=np.int64)
        np.add.at(bought, o.buyer[has_buyer], o.amount[has_buyer])
        return bought[self.p.participant]


def _of_member_months(listed: list, facts: Facts) -> Decimal:
    return share(len(listed), len(facts.with_commissions)) if facts.with_commissions else Decimal(0)


@_rule("koscot_recruitment_rewards", "Commissions paid on enrollment orders, as a share of all commissions",
       Decimal(0), "eq", "Koscot, 86 F.T.C. 1106 (1975); FTC MLM guidance (2018)")
def koscot_recruitment_rewards(f: Facts) -> Observed:
    """Commissions on enrollment orders over all commissions."""
    return share(f.commissions[ENROLLMENT_AT], f.commissions.sum()), None


@_rule("herbalife_end_user_sales", "Retail plus personal volume (personal capped at 200.00 per member per "
       "month) as a share of all volume", Decimal("0.80"), "ge", "FTC v. Herbalife order (2016)")
def herbalife_end_user_sales(f: Facts) -> Observed:
    """Retail plus capped personal volume over all volume."""
    return share(int(f.volumes[RETAIL_AT]) + f.capped_personal, f.volumes.sum()), None


@_rule("herbalife_retail_rewards", "Commissions paid on retail orders, as a share of all commissions",
       Decimal(2) / Decimal(3), "ge", "FTC v. Herbalife order (2016)")
def herbalife_retail_rewards(f: Facts) -> Observed:
    """Commissions on retail orders over all commissions."""
    return share(f.commissions[RETAIL_AT], f.commissions.sum()), None


@_rule("vemma_nonparticipant_majority", "Share of member-months with commissions in which retail was at most "
       "half of the volume of the member and their whole downline", Decimal(0), "eq",
       "FTC v. Vemma final order (2016)")
def vemma_nonparticipant_majority(f: Facts) -> Observed:
    """Member-months with commissions whose branch's retail was at most half its volume, listed."""
    o, forest = f.p.orders, f.p.forest
    retail_order = o.kind == RETAIL_AT
    nodes_in_month: dict[int, list] = {}
    for node, month in f.with_commissions:
        nodes_in_month.setdefault(month, []).append(node)
    listed = []
    for month, nodes in sorted(nodes_in_month.items()):
        # The branch's retail and total volume in the month.
        in_month = o.month == month
        own = np.zeros((f.n, 2), dtype=np.int64)
        np.add.at(own, (o.member[in_month], 0), o.amount[in_month] * retail_order[in_month])
        np.add.at(own, (o.member[in_month], 1), o.amount[in_month])
        branch = forest.branch_sums(own)
        for node in nodes:
            if 2 * branch[node, 0] <= branch[node, 1]:
                listed.append({"member_id": forest.ids[node], "month": f"{month // 100:04d}-{month % 100:02d}",
                               "retail": int(branch[node, 0]), "volume": int(branch[node, 1])})
    listed.sort(key=lambda item: (item["member_id"], item["month"]))
    return _of_member_months(listed, f), listed


@_rule("amway_retail_customers", "Share of member-months with commissions in which the member sold to fewer "
       "than 10 distinct retail customers", Decimal(0), "eq", "In re Amway, 93 F.T.C. 618 (1979)")
def amway_retail_customers(f: Facts) -> Observed:
    """Member-months with commissions whose member sold to fewer than 10 retail customers."""
    # Distinct retail customers of the member's own sales in the month.
    _, sellers, months = f.p.orders.retail_customers
    keys, counts = np.unique(month_keys(sellers, months), return_counts=True)
    customers_in = dict(zip(keys.tolist(), counts.tolist()))
    few = [(m, month) for m, month in f.with_commissions
           if customers_in.get(month_keys(m, month), 0) < MIN_RETAIL_CUSTOMERS]
    return _of_member_months(few, f), None


@_rule("ucpd_primarily_recruitment", "Commissions paid on enrollment and inventory orders, as a share of all "
       "commissions", Decimal("0.50"), "le", "EU Directive 2005/29/EC Annex I point 14; CJEU C-515/12")
def ucpd_primarily_recruitment(f: Facts) -> Observed:
    """Commissions on enrollment and inventory orders over all commissions."""
    return share(f.commissions[ENROLLMENT_AT] + f.commissions[INVENTORY_AT], f.commissions.sum()), None


@_rule("income_net_loss", "Share of participants whose paid purchases in the period exceed their commissions",
       Decimal("0.50"), "le", "FTC staff report on MLM income disclosures (2024); FTC v. BurnLounge (2014)")
def income_net_loss(f: Facts) -> Observed:
    """Participants whose purchases exceed their commissions, over all participants."""
    return share(int((f.bought > f.earnings).sum()), len(f.earnings)), None
