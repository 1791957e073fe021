"""Recruitment-vs-sales figures and rule checks, as pure functions over rows.

Definitions (API.md, "Compliance"):

- end-user volume = retail + personal; recruitment volume = enrollment + inventory;
  ``recruitment_ratio = recruitment / end_user`` (``None`` — unbounded — when
  there is no end-user volume);
- commissions are ledger lines (reversals included) of the runs whose periods
  fall inside the period; a member-month "with commissions" is a member and the
  calendar month of the orders they were paid on, with a positive total;
- a participant's net loss: paid purchases as buyer in the period exceed the
  commissions paid to them in the period.

Money stays in integer minor units; ratios are Decimal.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

__all__ = [
    "KINDS",
    "RULES",
    "Order",
    "Line",
    "Member",
    "programme",
    "branches",
    "recruitment_ratio",
    "risk_key",
]

KINDS = ("retail", "personal", "enrollment", "inventory")
PERSONAL_CAP_MINOR = 20_000  # 200.00 per member per calendar month


@dataclass(frozen=True)
class Rule:
    id: str
    description: str
    threshold: Decimal
    passes: str  # "eq", "ge" or "le": observed compared with the threshold
    source: str


RULES = (
    Rule("koscot_recruitment_rewards", "Commissions paid on enrollment orders, as a share of all commissions",
         Decimal(0), "eq", "Koscot, 86 F.T.C. 1106 (1975); FTC MLM guidance (2018)"),
    Rule("herbalife_end_user_sales", "Retail plus personal volume (personal capped at 200.00 per member per "
         "month) as a share of all volume", Decimal("0.80"), "ge", "FTC v. Herbalife order (2016)"),
    Rule("herbalife_retail_rewards", "Commissions paid on retail orders, as a share of all commissions",
         Decimal(2) / Decimal(3), "ge", "FTC v. Herbalife order (2016)"),
    Rule("vemma_nonparticipant_majority", "Share of member-months with commissions in which retail was at most "
         "half of the volume of the member and their whole downline", Decimal(0), "eq",
         "FTC v. Vemma final order (2016)"),
    Rule("amway_retail_customers", "Share of member-months with commissions in which the member sold to fewer "
         "than 10 distinct retail customers", Decimal(0), "eq", "In re Amway, 93 F.T.C. 618 (1979)"),
    Rule("ucpd_primarily_recruitment", "Commissions paid on enrollment and inventory orders, as a share of all "
         "commissions", Decimal("0.50"), "le", "EU Directive 2005/29/EC Annex I point 14; CJEU C-515/12"),
    Rule("income_net_loss", "Share of participants whose paid purchases in the period exceed their commissions",
         Decimal("0.50"), "le", "FTC staff report on MLM income disclosures (2024); FTC v. BurnLounge (2014)"),
)


@dataclass(frozen=True)
class Order:
    seller: str
    buyer: str | None
    kind: str
    amount: int  # minor units
    month: int  # yyyymm
    customer: str | None = None


@dataclass(frozen=True)
class Line:
    beneficiary: str
    amount: int  # minor units, negative for a reversal
    order_kind: str
    month: int  # month of the order the line pays on


@dataclass(frozen=True)
class Member:
    id: str
    path: str  # materialised path /founder/.../id/


def _share(part, whole) -> Decimal | None:
    return None if not whole else Decimal(part) / Decimal(whole)


def recruitment_ratio(volumes: dict) -> Decimal | None:
    """Recruitment volume over end-user volume; None (unbounded) without end-user volume.

    >>> recruitment_ratio({"retail": 100, "personal": 100, "enrollment": 300, "inventory": 0})
    Decimal('1.5')
    >>> recruitment_ratio({"retail": 0, "personal": 0, "enrollment": 10, "inventory": 0}) is None
    True
    """
    end_user = volumes["retail"] + volumes["personal"]
    return _share(volumes["enrollment"] + volumes["inventory"], end_user)


def _passed(rule: Rule, observed: Decimal | None) -> bool | None:
    if observed is None:
        return None
    return {"eq": observed == rule.threshold, "ge": observed >= rule.threshold,
            "le": observed <= rule.threshold}[rule.passes]


def _ancestors_and_self(path: str) -> list[str]:
    return path.strip("/").split("/")


def _median(values: list[int]) -> Decimal:
    ordered = sorted(values)
    if not ordered:
        return Decimal(0)
    mid = len(ordered) // 2
    return Decimal(ordered[mid]) if len(ordered) % 2 else Decimal(ordered[mid - 1] + ordered[mid]) / 2


@dataclass
class _MonthVolume:
    retail: int = 0
    total: int = 0
    customers: set = field(default_factory=set)


def programme(members: list[Member], orders: list[Order], lines: list[Line],
              thresholds: dict | None = None) -> dict:
    """Programme-wide volumes, commissions, rule checks and income figures.

    ``members`` are the participants (joined before the period ends),
    ``orders`` the paid orders in the period, ``lines`` the ledger lines of the
    runs inside the period.  Thresholds default to the rules table's.
    """
    thresholds = thresholds or {}
    volumes = {k: 0 for k in KINDS}
    personal_by_member_month: dict = defaultdict(int)
    for o in orders:
        volumes[o.kind] += o.amount
        if o.kind == "personal":
            personal_by_member_month[(o.buyer or o.seller, o.month)] += o.amount
    capped_personal = sum(min(v, PERSONAL_CAP_MINOR) for v in personal_by_member_month.values())
    all_volume = sum(volumes.values())

    commissions = {k: 0 for k in KINDS}
    paid: dict[str, int] = defaultdict(int)
    by_member_month: dict = defaultdict(int)
    for line in lines:
        commissions[line.order_kind] += line.amount
        paid[line.beneficiary] += line.amount
        by_member_month[(line.beneficiary, line.month)] += line.amount
    all_commissions = sum(commissions.values())
    with_commissions = sorted(key for key, total in by_member_month.items() if total > 0)

    # Volume of each member and their whole downline per month, via the materialised paths.
    path_of = {m.id: m.path for m in members}
    branch_month: dict = defaultdict(_MonthVolume)
    own_month: dict = defaultdict(_MonthVolume)
    needed = {member for member, _ in with_commissions}
    for o in orders:
        own = own_month[(o.seller, o.month)]
        own.total += o.amount
        if o.kind == "retail":
            own.retail += o.amount
            if o.customer:
                own.customers.add(o.customer)
        for ancestor in _ancestors_and_self(path_of.get(o.seller, f"/{o.seller}/")):
            if ancestor in needed:
                branch = branch_month[(ancestor, o.month)]
                branch.total += o.amount
                branch.retail += o.amount if o.kind == "retail" else 0
    vemma_listed = [
        {"member_id": m, "month": f"{month // 100:04d}-{month % 100:02d}",
         "retail": branch_month[(m, month)].retail, "volume": branch_month[(m, month)].total}
        for m, month in with_commissions
        if 2 * branch_month[(m, month)].retail <= branch_month[(m, month)].total
    ]
    few_customers = [(m, month) for m, month in with_commissions if len(own_month[(m, month)].customers) < 10]

    bought: dict[str, int] = defaultdict(int)
    for o in orders:
        if o.buyer is not None:
            bought[o.buyer] += o.amount
    participants = [m.id for m in members]
    net_loss = [m for m in participants if bought[m] > paid[m]]
    earnings = sorted((paid[m] for m in participants), reverse=True)
    top = earnings[: max(1, -(-len(earnings) // 100))] if earnings else []

    observed = {
        "koscot_recruitment_rewards": _share(commissions["enrollment"], all_commissions),
        "herbalife_end_user_sales": _share(volumes["retail"] + capped_personal, all_volume),
        "herbalife_retail_rewards": _share(commissions["retail"], all_commissions),
        "vemma_nonparticipant_majority": _share(len(vemma_listed), len(with_commissions)) if with_commissions else Decimal(0),
        "amway_retail_customers": _share(len(few_customers), len(with_commissions)) if with_commissions else Decimal(0),
        "ucpd_primarily_recruitment": _share(commissions["enrollment"] + commissions["inventory"], all_commissions),
        "income_net_loss": _share(len(net_loss), len(participants)),
    }
    checks = []
    for rule in RULES:
        threshold = Decimal(str(thresholds.get(rule.id, rule.threshold)))
        rule_now = Rule(rule.id, rule.description, threshold, rule.passes, rule.source)
        check = {"rule": rule.id, "description": rule.description, "threshold": threshold,
                 "observed": observed[rule.id], "passed": _passed(rule_now, observed[rule.id]), "source": rule.source}
        if rule.id == "vemma_nonparticipant_majority":
            check["listed"] = vemma_listed
        checks.append(check)
    return {
        "volumes": volumes,
        "commissions_by_kind": commissions,
        "end_user_commission_share": _share(commissions["retail"] + commissions["personal"], all_commissions),
        "checks": checks,
        "income": {
            "participants": len(participants),
            "with_zero_commission": _share(sum(1 for m in participants if paid[m] <= 0), len(participants)),
            "median_commission": _median([paid[m] for m in participants]),
            "top_1pct_share": _share(sum(top), sum(e for e in earnings if e > 0)) if any(e > 0 for e in earnings) else None,
            "net_loss_share": observed["income_net_loss"],
            "distribution": earnings,
        },
    }


def branches(members: list[Member], orders: list[Order], lines: list[Line]) -> dict[str, dict]:
    """Per member, figures for their branch (the member and everyone below).

    One pass: each order and ledger line is added to every member on its
    seller's (or beneficiary's) path.
    """
    result: dict[str, dict] = {}

    def branch(member: str) -> dict:
        if member not in result:
            result[member] = {"member_id": member, "branch_size": 0, "volumes": {k: 0 for k in KINDS},
                              "commissions_by_kind": {k: 0 for k in KINDS}, "customers": set()}
        return result[member]

    path_of = {m.id: m.path for m in members}
    for m in members:
        for ancestor in _ancestors_and_self(m.path):
            branch(ancestor)["branch_size"] += 1
    for o in orders:
        for ancestor in _ancestors_and_self(path_of.get(o.seller, f"/{o.seller}/")):
            b = branch(ancestor)
            b["volumes"][o.kind] += o.amount
            if o.kind == "retail" and o.customer:
                b["customers"].add(o.customer)
    for line in lines:
        for ancestor in _ancestors_and_self(path_of.get(line.beneficiary, f"/{line.beneficiary}/")):
            branch(ancestor)["commissions_by_kind"][line.order_kind] += line.amount
    for b in result.values():
        volumes = b["volumes"]
        b["distinct_retail_customers"] = len(b.pop("customers"))
        b["recruitment_ratio"] = recruitment_ratio(volumes)
        b["recruitment_volume"] = volumes["enrollment"] + volumes["inventory"]
        total = sum(volumes.values())
        flags = []
        if b["recruitment_volume"] > volumes["retail"] + volumes["personal"]:
            flags.append("recruitment_exceeds_end_user")
        if total and 2 * volumes["retail"] <= total:
            flags.append("retail_minority")
        if b["distinct_retail_customers"] < 10 and total:
            flags.append("fewer_than_10_retail_customers")
        b["flags"] = flags
    return result


def risk_key(branch: dict) -> tuple:
    """Ranking: most recruitment-driven volume first (unbounded ratio highest)."""
    ratio = branch["recruitment_ratio"]
    return (Fraction(10**12) if ratio is None and branch["recruitment_volume"] else Fraction(ratio or 0),
            branch["recruitment_volume"])
