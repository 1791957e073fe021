"""Programme KPIs over a period, computed on the referral tree as it grew.

Pure functions over columns (numpy arrays, one entry per member or per paid
order) and the click counts Neo4j aggregated.  Every ratio is answered with
its numerator and denominator, and ``value`` null with a ``reason`` when the
denominator is empty; every amount is integer minor units per currency (the
service formats them as decimal strings).  Times are epoch milliseconds, UTC.

Definitions (the API description and the report quote them):

- a member is *referred* when it joined through the programme: attributed to a
  sponsor by a click on a link or by a referral code, and not rejected on
  review (a named sponsor or an imported edge is not a referral);
- an order *belongs* to the member who bought it, or, for a retail sale to an
  outside customer, to the member who sold it; only paid orders count;
- a member is *active* at a time when it has joined and either its status is
  active or it changed to another status only after that time;
- the cost of the programme is the commissions of complete commission runs
  whose period lies in the period, plus reward lines approved in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple, Sequence

import numpy as np

from ..domain import ORDER_KINDS, RETAIL

__all__ = ["Members", "Orders", "Sale", "ClickCounts", "Cost", "DAY_MS", "ratio", "month_starts", "funnel",
           "programme", "cohorts", "kpis"]

DAY_MS = 86_400_000
CLV_DAYS = 365
K_WINDOWS = (30, 90)


@dataclass(frozen=True)
class Members:
    """Columns of every member: join time, sponsor position (-1 for none), whether
    referred (see the module), through a click, with which campaign and channel,
    current status active, and since when its status holds."""

    joined: np.ndarray
    sponsor: np.ndarray
    referred: np.ndarray
    by_click: np.ndarray
    campaign: np.ndarray  # '' for none
    channel: np.ndarray
    active_now: np.ndarray
    status_since: np.ndarray

    def active_at(self, t: int) -> np.ndarray:
        """Whether each member was active at time ``t``."""
        return (self.joined < t) & (self.active_now | (self.status_since >= t))


@dataclass(frozen=True)
class Orders:
    """Columns of the paid orders of the members followed one by one (those who joined
    in the period, and the referred): the position of the member each belongs to,
    time, amount in minor units and currency (a position in ``currencies``: small
    integers group cheaply)."""

    member: np.ndarray
    at: np.ndarray
    amount: np.ndarray
    currency: np.ndarray
    currencies: tuple[str, ...]


class Sale(NamedTuple):
    """Every paid order of a month (``YYYY-MM``), kind and currency, summed."""

    month: str
    kind: str
    currency: str
    amount: int


class ClickCounts(NamedTuple):
    """Clicks on members' links (bots left out), distinct visitors and distinct sharing members."""

    clicks: int
    visitors: int
    sharers: int


NO_CLICKS = ClickCounts(0, 0, 0)


class Cost(NamedTuple):
    """Programme cost: ``amount`` minor units of ``currency`` from ``source``
    (commissions or rewards), incurred over [start, end) (a run's period; a
    reward's approval month)."""

    start: int
    end: int
    currency: str
    source: str
    amount: int


def ratio(numerator, denominator, reason: str) -> dict:
    """A ratio with what it is made of; null with ``reason`` when the denominator is 0.

    >>> ratio(1, 4, "no one")
    {'value': 0.25, 'numerator': 1, 'denominator': 4, 'reason': None}
    >>> ratio(0, 0, "no one")["value"], ratio(0, 0, "no one")["reason"]
    (None, 'no one')
    """
    if not denominator:
        return {"value": None, "numerator": numerator, "denominator": denominator, "reason": reason}
    return {"value": round(numerator / denominator, 6), "numerator": numerator, "denominator": denominator,
            "reason": None}


def month_starts(start: int, end: int) -> list[int]:
    """The calendar months (UTC) that meet [start, end): each one's first instant,
    clipped to ``start``, then ``end``.

    >>> ms = lambda d: int(np.datetime64(d, "ms").astype(np.int64))
    >>> [str(np.datetime64(t, "ms"))[:10] for t in month_starts(ms("2024-01-15"), ms("2024-03-01"))]
    ['2024-01-15', '2024-02-01', '2024-03-01']
    """
    first = np.datetime64(start, "ms").astype("datetime64[M]")
    last = np.datetime64(end - 1, "ms").astype("datetime64[M]")
    inner = np.arange(first + 1, last + 1).astype("datetime64[ms]").astype(np.int64).tolist()
    return [start, *inner, end]


def month_key(t: int) -> str:
    """``YYYY-MM`` of an instant.

    >>> month_key(0)
    '1970-01'
    """
    return str(np.datetime64(t, "ms").astype("datetime64[M]"))


def _sums(orders: Orders, chosen: np.ndarray) -> dict[str, int]:
    """The chosen orders' total minor units per currency they hold (exact integers)."""
    currency, amount = orders.currency[chosen], orders.amount[chosen]
    held = np.flatnonzero(np.bincount(currency, minlength=len(orders.currencies)))
    return {orders.currencies[c]: int(amount[currency == c].sum()) for c in held}


def _first_order_at(members: Members, orders: Orders) -> np.ndarray:
    """Each member's first paid order at or after joining (int64 max when none)."""
    first = np.full(len(members.joined), np.iinfo(np.int64).max, dtype=np.int64)
    own = orders.at >= members.joined[orders.member]
    np.minimum.at(first, orders.member[own], orders.at[own])
    return first


def funnel(members: Members, orders: Orders, clicks: ClickCounts, start: int, end: int, *, first_at: np.ndarray,
           group: np.ndarray | None = None, first_order_days: int = 30) -> dict:
    """The referral funnel of [start, end), for the members in ``group`` (a mask:
    referred through one campaign or channel) or all:

    - ``share_through``: unique visitors ÷ sharing members;
    - ``click_to_signup``: members who joined in the period attributed through a
      click ÷ unique visitors;
    - ``signup_to_first_order``: referred members who joined in the period with a
      paid order within ``first_order_days`` of joining ÷ those members;
    - ``referred_sales``: what referred members' paid orders in the period came to.

    ``first_at`` is each member's first paid order at or after joining (:func:`_first_order_at`).
    """
    joined = (members.joined >= start) & (members.joined < end) & members.referred
    if group is not None:
        joined &= group
    first_orders = int((first_at[joined] - members.joined[joined] <= first_order_days * DAY_MS).sum())
    by_click = int((joined & members.by_click).sum())
    in_period = (orders.at >= start) & (orders.at < end) & members.referred[orders.member]
    if group is not None:
        in_period &= group[orders.member]
    return {
        "clicks": clicks.clicks,
        "unique_visitors": clicks.visitors,
        "sharers": clicks.sharers,
        "referred_signups": int(joined.sum()),
        "signups_by_click": by_click,
        "signups_by_code": int(joined.sum()) - by_click,
        "first_orders": first_orders,
        "share_through": ratio(clicks.visitors, clicks.sharers, "no member's link was clicked"),
        "click_to_signup": ratio(by_click, clicks.visitors, "no visitor clicked a link"),
        "signup_to_first_order": ratio(first_orders, int(joined.sum()), "no referred member joined"),
        "referred_sales": _sums(orders, in_period),
    }


def programme(members: Members, orders: Orders, clicks: ClickCounts, costs: Sequence[Cost],
              sales: Sequence[Sale], start: int, end: int) -> dict:
    """Programme-wide figures of [start, end) (``sales``: that period's):

    - ``participation_rate``: sharing members ÷ members active at the end;
    - ``referral_rate``: referred members who joined ÷ all who joined;
    - ``sales``: paid orders by currency and kind; ``retail`` (to outside
      customers) and ``own_purchases`` (participants buying) kept apart;
    - ``cost``: commissions and rewards per currency; ``cac``: cost ÷ referred
      members who joined (minor units, rounded half-even by the caller);
    - ``roi``: (referred members' sales − cost) ÷ cost, per currency.
    """
    active = int(members.active_at(end).sum())
    new = (members.joined >= start) & (members.joined < end)
    referred_new = int((new & members.referred).sum())
    in_period = (orders.at >= start) & (orders.at < end)
    by_kind: dict[str, dict[str, int]] = {}
    for sale in sales:
        kinds = by_kind.setdefault(sale.currency, dict.fromkeys(ORDER_KINDS, 0))
        kinds[sale.kind] += sale.amount
    cost: dict[str, dict[str, int]] = {}
    for c in costs:
        if c.start >= start and c.end <= end:
            entry = cost.setdefault(c.currency, {"commissions": 0, "rewards": 0})
            entry[c.source] += c.amount
    referred_orders = in_period & members.referred[orders.member]
    referred_sales = _sums(orders, referred_orders)
    roi, cac = {}, {}
    for currency, parts in sorted(cost.items()):
        total = parts["commissions"] + parts["rewards"]
        cac[currency] = {"cost": total, "referred_members": referred_new}
        roi[currency] = ratio(referred_sales.get(currency, 0) - total, total, "no programme cost in this currency")
    return {
        "active_members": active,
        "new_members": int(new.sum()),
        "participation_rate": ratio(clicks.sharers, active, "no active members at the end of the period"),
        "referral_rate": ratio(referred_new, int(new.sum()), "no one joined in the period"),
        "sales": {c: {"by_kind": kinds, "retail": kinds[RETAIL], "own_purchases": sum(kinds.values()) - kinds[RETAIL]}
                  for c, kinds in sorted(by_kind.items())},
        "cost": {c: {**parts, "total": parts["commissions"] + parts["rewards"]} for c, parts in sorted(cost.items())},
        "cac": cac,
        "roi": roi,
    }


def _nearest_levels(sponsor: np.ndarray, order: list[np.ndarray], roots: np.ndarray) -> np.ndarray:
    """Each member's distance below its nearest ancestor among ``roots`` (0 for none),
    walking the tree top-down, a depth (``order``) at a time."""
    level = np.zeros(len(sponsor), dtype=np.int64)
    for nodes in order[1:]:
        parents = sponsor[nodes]
        level[nodes] = np.where(roots[parents], 1, np.where(level[parents] > 0, level[parents] + 1, 0))
    return level


def cohorts(members: Members, orders: Orders, start: int, end: int, *, as_of: int,
            depth: np.ndarray) -> list[dict]:
    """Per monthly join cohort of [start, end), referred and not referred apart:

    - ``retention``: for each month from the cohort's own to the last of the
      period, the share of the cohort with a paid order in that month;
    - ``clv``: what the cohort's paid orders in each member's first 365 days came
      to, and how many members share it (``clv_complete`` once every member has
      had 365 days by ``as_of``);
    - ``k``: referred members each member of the cohort brought in within 30 and 90
      days of its own joining, per member of the cohort (the viral coefficient);
    - ``cascade``: everyone below the cohort's members who joined before the
      period's end (counted under the nearest): how deep it goes, its widest level
      and its size.

    ``depth`` is each member's depth in the sponsor forest (-1 on a cycle).
    """
    bounds = np.asarray(month_starts(start, end))
    months = len(bounds) - 1
    # Cohort of each member (-1: joined outside the period); 2 * cohort + referred keys a part.
    cohort = np.where((members.joined >= start) & (members.joined < end),
                      np.searchsorted(bounds, members.joined, side="right") - 1, -1)
    part = 2 * cohort + members.referred
    sizes = np.bincount(part[cohort >= 0], minlength=2 * months)
    # Members with a paid order in a month of the period, counted once a month.
    in_period = (orders.at >= start) & (orders.at < end)
    month = np.searchsorted(bounds, orders.at[in_period], side="right") - 1
    seen = np.zeros(len(members.joined) * months, dtype=bool)  # member x month, cheaper than np.unique
    seen[orders.member[in_period] * months + month] = True
    pairs = np.flatnonzero(seen)
    who, when = pairs // months, pairs % months
    mine = (cohort[who] >= 0) & (when >= cohort[who])
    active = np.bincount(part[who[mine]] * months + when[mine], minlength=2 * months * months)
    # Each order's amount in its member's first year, by part and currency (exact integers).
    since = orders.at - members.joined[orders.member]
    first_year = (cohort[orders.member] >= 0) & (since >= 0) & (since < CLV_DAYS * DAY_MS)
    revenue: dict[str, np.ndarray] = {}
    for c in np.flatnonzero(np.bincount(orders.currency[first_year], minlength=len(orders.currencies))):
        chosen = first_year & (orders.currency == c)
        revenue[orders.currencies[c]] = np.zeros(2 * months, dtype=np.int64)
        np.add.at(revenue[orders.currencies[c]], part[orders.member[chosen]], orders.amount[chosen])
    # Referred members brought in by a member of each cohort, by delay.
    sponsor = np.maximum(members.sponsor, 0)
    brought = members.referred & (members.sponsor >= 0) & (cohort[sponsor] >= 0)
    delay = members.joined - members.joined[sponsor]
    by_depth = [np.flatnonzero(depth == d) for d in range(int(depth.max(initial=0)) + 1)]
    result = []
    for c in range(months):
        size = int(sizes[2 * c] + sizes[2 * c + 1])
        entry = {"month": month_key(int(bounds[c])), "members": size, "referred": int(sizes[2 * c + 1]),
                 "retention": {}, "clv": {}}
        for name, p in (("referred", 2 * c + 1), ("not_referred", 2 * c)):
            entry["retention"][name] = [ratio(int(active[p * months + j]), int(sizes[p]), "no one in this cohort")
                                        for j in range(c, months)]
            entry["clv"][name] = {"members": int(sizes[p]),
                                  "revenue": {cur: int(r[p]) for cur, r in sorted(revenue.items()) if r[p]}}
        entry["clv_complete"] = int(bounds[c + 1]) - 1 + CLV_DAYS * DAY_MS <= as_of
        entry["k"] = {f"{days}d": ratio(int((brought & (cohort[sponsor] == c) & (delay >= 0)
                                             & (delay <= days * DAY_MS)).sum()), size, "no one joined in this month")
                      for days in K_WINDOWS}
        levels = _nearest_levels(members.sponsor, by_depth, cohort == c)
        counts = np.bincount(levels[(levels > 0) & (members.joined < end)], minlength=1)
        entry["cascade"] = {"depth": len(counts) - 1, "widest_level": int(counts[1:].max(initial=0)),
                            "size": int(counts[1:].sum())}
        result.append(entry)
    return result


def kpis(members: Members, orders: Orders, clicks: dict[str, dict], costs: Sequence[Cost], sales: Sequence[Sale],
         start: int, end: int, *, as_of: int, depth: np.ndarray, first_order_days: int = 30) -> dict:
    """Every KPI of [start, end): the headline figures, the same by month, the
    funnel by campaign and by channel, and the join cohorts.

    ``clicks`` maps ``total`` (key None), ``month`` (``YYYY-MM``), ``campaign`` and
    ``channel`` to {key: :class:`ClickCounts`}.
    """
    first_at = _first_order_at(members, orders)
    headline = {**funnel(members, orders, clicks["total"].get(None, NO_CLICKS), start, end,
                         first_order_days=first_order_days, first_at=first_at),
                **programme(members, orders, clicks["total"].get(None, NO_CLICKS), costs, sales, start, end)}
    bounds = month_starts(start, end)
    by_month = []
    for lo, hi in zip(bounds, bounds[1:]):
        counts = clicks["month"].get(month_key(lo), NO_CLICKS)
        by_month.append({"key": month_key(lo),
                         **funnel(members, orders, counts, lo, hi, first_order_days=first_order_days,
                                  first_at=first_at),
                         **programme(members, orders, counts, costs, [s for s in sales if s.month == month_key(lo)],
                                     lo, hi)})
    breakdowns = {"month": by_month}
    for name, column in (("campaign", members.campaign), ("channel", members.channel)):
        keys = sorted({k for k in clicks[name] if k is not None} | set(column[members.referred].tolist()) - {""})
        groups = []
        for key in [*keys, None]:
            counts = clicks[name].get(key, NO_CLICKS)
            groups.append({"key": key, **funnel(members, orders, counts, start, end, group=column == (key or ""),
                                                first_order_days=first_order_days, first_at=first_at)})
        breakdowns[name] = groups
    return {"headline": headline, "by": breakdowns,
            "cohorts": cohorts(members, orders, start, end, as_of=as_of, depth=depth)}
