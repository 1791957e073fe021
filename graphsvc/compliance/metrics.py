"""Recruitment-vs-sales figures and rule checks, as pure functions over rows.

Definitions (API.md, "Compliance"):

- end-user volume = retail + personal; recruitment volume = enrollment + inventory;
  ``recruitment_ratio = recruitment / end_user`` (``None`` — unbounded — when
  there is no end-user volume);
- commissions are ledger lines (reversals included) of the complete runs whose
  periods fall inside the period; a member-month "with commissions" is a member
  and the calendar month of the orders they were paid on, with a positive total;
- a participant's net loss: paid purchases as buyer in the period exceed the
  commissions paid to them in the period.

Branch figures (a member and everyone below) are computed for every member at
once: members are laid out in depth-first order, so each branch is a
contiguous range and any per-member figure summed over every branch is one
cumulative sum.  Money stays in integer minor units (int64); ratios are Decimal.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from fractions import Fraction
from itertools import repeat
from typing import Hashable, NamedTuple, Sequence

import numpy as np

from ..network.forest import depths

__all__ = [
    "KINDS",
    "RULES",
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

KINDS = ("retail", "personal", "enrollment", "inventory")
RETAIL, PERSONAL, ENROLLMENT, INVENTORY = range(4)
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


class Member(NamedTuple):
    id: Hashable
    sponsor: Hashable | None
    participant: bool = True  # joined before the period ends


class Order(NamedTuple):
    seller: Hashable
    buyer: Hashable | None
    kind: str
    amount: int  # minor units
    month: int  # yyyymm
    customer: str | None = None


class OrderColumns(NamedTuple):
    """Orders as parallel columns, the way in for millions of them (no tuple per order)."""

    sellers: Sequence
    buyers: Sequence  # None (or any value naming no member) where the buyer is not a participant
    kinds: Sequence[str]
    amounts: Sequence[int]
    months: Sequence[int]
    customers: Sequence  # None or '' where there is no retail customer

    @classmethod
    def of(cls, orders: Sequence[Order] | OrderColumns) -> OrderColumns:
        if isinstance(orders, OrderColumns):
            return orders
        return cls(*zip(*orders)) if orders else cls(*[()] * len(cls._fields))


class Line(NamedTuple):
    beneficiary: Hashable
    amount: int  # minor units, negative for a reversal
    order_kind: str
    month: int  # month of the order the line pays on


def _share(part, whole) -> Decimal | None:
    return None if not whole else Decimal(int(part)) / Decimal(int(whole))


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


# -- the forest in depth-first order ------------------------------------------------------
class _Forest:
    """Members as nodes 0..n-1 with their sponsor, laid out depth-first so the
    branch of node v is the range ``[pos[v], pos[v] + size[v])``.  A sponsor
    outside the members, or a sponsor cycle (bad data), makes a root."""

    def __init__(self, members: Sequence[Member]):
        self.ids = [m.id for m in members]
        self.index = {member_id: node for node, member_id in enumerate(self.ids)}
        n = len(self.ids)
        parent = np.fromiter((self.index.get(m.sponsor, -1) for m in members), dtype=np.int64, count=n)
        depth = depths(parent)
        parent[depth < 0] = -1
        self.depth = depths(parent)
        self.parent = parent
        size = np.ones(n, dtype=np.int64)
        levels = [np.flatnonzero(self.depth == d) for d in range(int(self.depth.max(initial=0)) + 1)]
        for level in reversed(levels[1:]):
            np.add.at(size, parent[level], size[level])
        pos = np.zeros(n, dtype=np.int64)
        for d, level in enumerate(levels):
            # Siblings follow their parent one after another, each taking its branch's width.
            level = level[np.argsort(parent[level], kind="stable")]
            width = size[level]
            before = np.cumsum(width) - width
            group_start = np.r_[True, parent[level][1:] != parent[level][:-1]]
            before -= np.maximum.accumulate(np.where(group_start, before, 0))
            pos[level] = before if d == 0 else pos[parent[level]] + 1 + before
        self.pos, self.size = pos, size
        # Integer ids (internal node ids, from the service) are looked up by binary search in C.
        self._by_id = None
        if self.ids and all(type(member_id) is int for member_id in self.ids):
            as_array = np.asarray(self.ids, dtype=np.int64)
            order = np.argsort(as_array)
            self._by_id = (as_array[order], order)

    def nodes(self, ids: Sequence, missing: int | None = None) -> np.ndarray:
        """The nodes of these member ids; ``missing`` for an id naming no member
        (KeyError when ``missing`` is None)."""
        if self._by_id is None:
            found = map(self.index.__getitem__, ids) if missing is None else map(self.index.get, ids, repeat(missing))
            return np.fromiter(found, dtype=np.int64, count=len(ids))
        sorted_ids, order = self._by_id
        wanted = np.asarray(ids, dtype=np.int64)
        at = np.minimum(np.searchsorted(sorted_ids, wanted), len(sorted_ids) - 1)
        found = sorted_ids[at] == wanted
        if missing is None:
            if not found.all():
                raise KeyError(int(wanted[~found][0]))
            return order[at]
        return np.where(found, order[at], missing)

    def branch_sums(self, values: np.ndarray) -> np.ndarray:
        """Per node, the sum of ``values`` (rows per node) over its branch."""
        laid_out = np.zeros_like(values)
        laid_out[self.pos] = values
        running = np.concatenate([np.zeros((1, *values.shape[1:]), dtype=values.dtype), np.cumsum(laid_out, axis=0)])
        return running[self.pos + self.size] - running[self.pos]

    def lowest_common_ancestor(self, a: int, b: int) -> int:
        while self.depth[a] > self.depth[b]:
            a = self.parent[a]
        while self.depth[b] > self.depth[a]:
            b = self.parent[b]
        while a != b and a >= 0:
            a, b = self.parent[a], self.parent[b]
        return int(a)


def _codes(values: Sequence) -> np.ndarray:
    """Dense integer codes for hashable values, -1 for None and '' (C-level map, no Python loop)."""
    code_of = {value: code for code, value in enumerate(dict.fromkeys(values))}
    codes = np.fromiter(map(code_of.__getitem__, values), dtype=np.int64, count=len(values))
    for missing in (None, ""):
        if missing in code_of:
            codes[codes == code_of[missing]] = -1
    return codes


@dataclass
class _Columns:
    """Orders or ledger lines as arrays over forest nodes."""

    member: np.ndarray  # seller (orders) or beneficiary (lines)
    kind: np.ndarray  # index into KINDS
    amount: np.ndarray
    month: np.ndarray
    buyer: np.ndarray | None = None  # -1 when the buyer is not a participant
    customer: np.ndarray | None = None  # retail customer code, -1 for none

    @classmethod
    def of_orders(cls, forest: _Forest, orders: Sequence[Order] | OrderColumns) -> _Columns:
        o = OrderColumns.of(orders)
        return cls(forest.nodes(o.sellers), _kinds(o.kinds), np.asarray(o.amounts, dtype=np.int64),
                   np.asarray(o.months, dtype=np.int64), forest.nodes(o.buyers, missing=-1), _codes(o.customers))

    @classmethod
    def of_lines(cls, forest: _Forest, lines: Sequence[Line]) -> _Columns:
        members, amounts, kinds, months = list(zip(*lines)) if lines else [()] * 4
        return cls(forest.nodes(members), _kinds(kinds), np.asarray(amounts, dtype=np.int64),
                   np.asarray(months, dtype=np.int64))

    def per_member(self, n: int, by_kind: bool = True) -> np.ndarray:
        """Amounts summed per member (and per kind)."""
        out = np.zeros((n, len(KINDS)) if by_kind else n, dtype=np.int64)
        np.add.at(out, (self.member, self.kind) if by_kind else self.member, self.amount)
        return out

    @cached_property
    def retail_customers(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Distinct (customer, seller, month) of retail orders with a customer, sorted."""
        with_customer = (self.kind == RETAIL) & (self.customer >= 0)
        return _distinct_rows(self.customer[with_customer], self.member[with_customer], self.month[with_customer])


def _distinct_rows(*columns: np.ndarray) -> tuple[np.ndarray, ...]:
    """The distinct rows of equal-length integer columns, sorted by the first column,
    then the next (``np.unique(axis=0)`` without its slow row-as-bytes sort).

    >>> [c.tolist() for c in _distinct_rows(np.array([2, 1, 2, 1]), np.array([5, 7, 5, 6]))]
    [[1, 1, 2], [6, 7, 5]]
    """
    order = np.lexsort(columns[::-1])
    ranked = [column[order] for column in columns]
    new = np.zeros(len(order), dtype=bool)
    new[:1] = True
    for column in ranked:
        new[1:] |= column[1:] != column[:-1]
    return tuple(column[new] for column in ranked)


def _kinds(kinds: Sequence[str]) -> np.ndarray:
    return np.fromiter(map({k: i for i, k in enumerate(KINDS)}.__getitem__, kinds), dtype=np.int64, count=len(kinds))


def _customer_contributions(forest: _Forest, orders: _Columns) -> np.ndarray:
    """Per node, +1/-1 marks whose branch sums count distinct retail customers.

    A customer bought from by sellers s1..sk (in depth-first order) is counted
    once in every branch holding one of them: +1 at each seller and -1 at the
    lowest common ancestor of each consecutive pair.
    """
    customer, seller, _ = orders.retail_customers
    pairs = np.stack(_distinct_rows(customer, seller), axis=1)
    marks = np.zeros(len(forest.ids), dtype=np.int64)
    np.add.at(marks, pairs[:, 1], 1)
    # Consecutive sellers of one customer, in depth-first order (few customers have several).
    ranked = pairs[np.lexsort((forest.pos[pairs[:, 1]], pairs[:, 0]))]
    same = np.flatnonzero(ranked[1:, 0] == ranked[:-1, 0])
    for a, b in zip(ranked[same, 1].tolist(), ranked[same + 1, 1].tolist()):
        ancestor = forest.lowest_common_ancestor(a, b)
        if ancestor >= 0:
            marks[ancestor] -= 1
    return marks


@dataclass
class _Prepared:
    forest: _Forest
    orders: _Columns
    lines: _Columns
    participant: np.ndarray  # bool per node

    @classmethod
    def of(cls, members: Sequence[Member], orders: Sequence[Order] | OrderColumns,
           lines: Sequence[Line]) -> _Prepared:
        forest = _Forest(members)
        participant = np.fromiter((bool(m.participant) for m in members), dtype=bool, count=len(forest.ids))
        return cls(forest, _Columns.of_orders(forest, orders), _Columns.of_lines(forest, lines), participant)


# -- branches -------------------------------------------------------------------------------
FLAGS = ("recruitment_exceeds_end_user", "retail_minority", "fewer_than_10_retail_customers")


class Branches:
    """Figures for every member's branch, as arrays; ``[member_id]`` gives one as a dict."""

    def __init__(self, forest: _Forest, volumes: np.ndarray, commissions: np.ndarray,
                 participants: np.ndarray, customers: np.ndarray):
        self.ids, self.index = forest.ids, forest.index
        self.volumes, self.commissions = volumes, commissions
        self.branch_size, self.customers = participants, customers
        end_user = volumes[:, RETAIL] + volumes[:, PERSONAL]
        self.recruitment = volumes[:, ENROLLMENT] + volumes[:, INVENTORY]
        total = volumes.sum(axis=1)
        self.flags = np.stack([self.recruitment > end_user,
                               (total > 0) & (2 * volumes[:, RETAIL] <= total),
                               (total > 0) & (customers < 10)], axis=1)

    def rename(self, names) -> None:
        """Name members by ``names[id]`` (the service computes on internal node ids)."""
        self.ids = [names[i] for i in self.ids]
        self.index = {member_id: node for node, member_id in enumerate(self.ids)}

    def __getitem__(self, member_id) -> dict:
        return self._item(self.index[member_id])

    def _item(self, node: int) -> dict:
        volumes = {k: int(v) for k, v in zip(KINDS, self.volumes[node])}
        return {
            "member_id": self.ids[node],
            "branch_size": int(self.branch_size[node]),
            "volumes": volumes,
            "commissions_by_kind": {k: int(v) for k, v in zip(KINDS, self.commissions[node])},
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
    return _branches(_Prepared.of(members, orders, lines))


def _branches(p: _Prepared) -> Branches:
    forest, n = p.forest, len(p.forest.ids)
    own = np.concatenate([p.orders.per_member(n), p.lines.per_member(n), p.participant.astype(np.int64)[:, None],
                          _customer_contributions(forest, p.orders)[:, None]], axis=1)
    summed = forest.branch_sums(own)
    k = len(KINDS)
    return Branches(forest, summed[:, :k], summed[:, k : 2 * k], summed[:, 2 * k], summed[:, 2 * k + 1])


def risk_key(branch: dict) -> tuple:
    """Ranking: most recruitment-driven volume first (unbounded ratio highest)."""
    ratio = branch["recruitment_ratio"]
    return (Fraction(10**12) if ratio is None and branch["recruitment_volume"] else Fraction(ratio or 0),
            branch["recruitment_volume"])


# -- programme ------------------------------------------------------------------------------
def _sum_by_key(keys: np.ndarray, amounts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct keys and the int64 sum of amounts for each."""
    unique, inverse = np.unique(keys, return_inverse=True)
    sums = np.zeros(len(unique), dtype=np.int64)
    np.add.at(sums, inverse, amounts)
    return unique, sums


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
    return _programme(_Prepared.of(members, orders, lines), thresholds)


def figures(members: Sequence[Member], orders: Sequence[Order] | OrderColumns, lines: Sequence[Line],
            thresholds: dict | None = None) -> tuple[dict, Branches]:
    """:func:`programme` and :func:`branches` from one preparation of the rows."""
    prepared = _Prepared.of(members, orders, lines)
    return _programme(prepared, thresholds), _branches(prepared)


def _programme(p: _Prepared, thresholds: dict | None) -> dict:
    thresholds = thresholds or {}
    forest, o, c = p.forest, p.orders, p.lines
    n = len(forest.ids)
    volumes = o.per_member(n).sum(axis=0)
    commissions = c.per_member(n).sum(axis=0)
    all_volume, all_commissions = int(volumes.sum()), int(commissions.sum())

    # Personal volume counts toward end-user volume up to the cap per member and month.
    personal = o.kind == PERSONAL
    buyer_or_seller = np.where(o.buyer >= 0, o.buyer, o.member)[personal]
    _, personal_sums = _sum_by_key(buyer_or_seller * 1_000_000 + o.month[personal], o.amount[personal])
    capped_personal = int(np.minimum(personal_sums, PERSONAL_CAP_MINOR).sum())

    # Member-months with a positive commission total.
    keys, totals = _sum_by_key(c.member * 1_000_000 + c.month, c.amount)
    paid_keys = keys[totals > 0]
    with_commissions = sorted(((int(k // 1_000_000), int(k % 1_000_000)) for k in paid_keys),
                              key=lambda nm: (forest.ids[nm[0]], nm[1]))

    # Vemma: the branch's retail and total volume in each such month.
    vemma_listed = []
    retail_order = o.kind == RETAIL
    nodes_in_month: dict[int, list] = {}
    for node, month in with_commissions:
        nodes_in_month.setdefault(month, []).append(node)
    for month, nodes in sorted(nodes_in_month.items()):
        in_month = o.month == month
        own = np.zeros((n, 2), dtype=np.int64)
        np.add.at(own, (o.member[in_month], 0), o.amount[in_month] * retail_order[in_month])
        np.add.at(own, (o.member[in_month], 1), o.amount[in_month])
        branch = forest.branch_sums(own)
        for node in nodes:
            if 2 * branch[node, 0] <= branch[node, 1]:
                vemma_listed.append({"member_id": forest.ids[node], "month": f"{month // 100:04d}-{month % 100:02d}",
                                     "retail": int(branch[node, 0]), "volume": int(branch[node, 1])})
    vemma_listed.sort(key=lambda item: (item["member_id"], item["month"]))

    # Amway: distinct retail customers of the member's own sales in the month.
    _, sellers, months = o.retail_customers
    customer_keys, customer_counts = np.unique(sellers * 1_000_000 + months, return_counts=True)
    customers_in = dict(zip(customer_keys.tolist(), customer_counts.tolist()))
    few_customers = [(m, month) for m, month in with_commissions if customers_in.get(m * 1_000_000 + month, 0) < 10]

    participant = p.participant
    paid = c.per_member(n, by_kind=False)
    has_buyer = o.buyer >= 0
    bought = np.zeros(n, dtype=np.int64)
    np.add.at(bought, o.buyer[has_buyer], o.amount[has_buyer])
    earnings = paid[participant]
    participants = int(participant.sum())
    net_loss = int((bought[participant] > earnings).sum())
    ranked_earnings = np.sort(earnings)[::-1]
    top = ranked_earnings[: max(1, -(-participants // 100))] if participants else ranked_earnings
    positive = int(earnings[earnings > 0].sum())

    observed = {
        "koscot_recruitment_rewards": _share(commissions[ENROLLMENT], all_commissions),
        "herbalife_end_user_sales": _share(int(volumes[RETAIL]) + capped_personal, all_volume),
        "herbalife_retail_rewards": _share(commissions[RETAIL], all_commissions),
        "vemma_nonparticipant_majority": _share(len(vemma_listed), len(with_commissions)) if with_commissions else Decimal(0),
        "amway_retail_customers": _share(len(few_customers), len(with_commissions)) if with_commissions else Decimal(0),
        "ucpd_primarily_recruitment": _share(commissions[ENROLLMENT] + commissions[INVENTORY], all_commissions),
        "income_net_loss": _share(net_loss, participants),
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
        "volumes": {k: int(v) for k, v in zip(KINDS, volumes)},
        "commissions_by_kind": {k: int(v) for k, v in zip(KINDS, commissions)},
        "end_user_commission_share": _share(commissions[RETAIL] + commissions[PERSONAL], all_commissions),
        "checks": checks,
        "income": {
            "participants": participants,
            "with_zero_commission": _share(int((earnings <= 0).sum()), participants),
            "median_commission": _median(earnings),
            "top_1pct_share": _share(int(top.sum()), positive) if positive else None,
            "net_loss_share": observed["income_net_loss"],
            "distribution": ranked_earnings,
        },
    }
