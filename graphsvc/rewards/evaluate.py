"""Reward lines as a pure function of a rule and the programme's events up to a date.

A run evaluates every event again and writes the lines by key, so running it twice
changes nothing and a line moves through its statuses as time and decisions pass:

- the friend's **first order** (the earliest bought by the friend, at least the rule's
  minimum in its currency) rewards the referrer and the friend; each line is ``pending``
  for the holding period, then ``approved``; ``canceled`` when the order was refunded
  inside the hold; an order refunded after approval adds a negative ``clawback`` line;
- a **held** referral holds both lines (a referrer in a risky ring holds its own) until
  it is approved: then the lines follow the timeline above, owed in full; a rejected
  referral earns nothing;
- a **milestone** of approved referrals (imported ones count) pays its reward and earns
  its badge once, at the join of the referral that reached it;
- **caps** per referrer, currency and calendar period (UTC): a referrer or milestone line
  that would take the period's counted total past a cap is ``capped``, naming the cap.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from operator import attrgetter
from typing import Iterator, NamedTuple

from ..domain import APPROVED, CANCELED, CAPPED, CLAWBACK, FRIEND, HELD, MILESTONE, PENDING, REFERRER, REJECTED
from .rules import reward_minor

__all__ = ["Referral", "Order", "Line", "evaluate", "evaluate_months", "line_key", "month_key", "period_key"]


class Referral(NamedTuple):
    """A friend's referral: its sponsor, when it joined, and the referral's status."""

    friend_id: str
    sponsor_id: str
    joined_at: datetime
    status: str | None  # held, approved, rejected; None for an imported sponsor edge


class Order(NamedTuple):
    """An order bought by a friend, and when it was refunded (None: not refunded)."""

    id: str
    buyer_id: str
    amount_minor: int
    currency: str
    at: datetime
    refunded_at: datetime | None


@dataclass
class Line:
    """A reward line: its key (rule, event, kind, beneficiary), amount and status."""

    key: str
    event_id: str
    kind: str
    beneficiary_id: str
    amount_minor: int
    currency: str
    status: str
    at: datetime
    approves_at: datetime | None = None
    cap: str | None = None
    badge: str | None = None
    refunded_at: datetime | None = None


PERIOD_CHARS = {"day": 10, "month": 7, "year": 4}  # how much of a time's ISO form names its period
CHRONOLOGICAL = attrgetter("at", "key")  # the order lines are evaluated and returned in


def line_key(rule_id: str, event_id: str, kind: str, member: str) -> str:
    """The key of a referrer's or friend's line: its rule, order, kind and beneficiary."""
    return f"{rule_id}:{event_id}:{kind}:{member}"


def period_key(period: str, at: datetime) -> str:
    """The calendar period (UTC) a time falls in, for caps.

    >>> from datetime import timezone
    >>> [period_key(p, datetime(2025, 3, 9, 23, 59, tzinfo=timezone.utc)) for p in ("day", "month", "year")]
    ['2025-03-09', '2025-03', '2025']
    """
    return at.isoformat()[:PERIOD_CHARS[period]]  # a prefix of the ISO form: twice as fast as strftime


def _first_orders(rule: dict, referrals: dict[str, Referral], orders: list[Order], through: datetime) -> list[Order]:
    first: dict[str, Order] = {}
    for o in sorted(orders, key=attrgetter("at", "id")):
        referral = referrals.get(o.buyer_id)
        if (referral is None or o.buyer_id in first or o.at > through or o.at < referral.joined_at
                or o.amount_minor < rule["min_order"].get(o.currency, 0)):
            continue
        first[o.buyer_id] = o
    return list(first.values())


def evaluate(rule_id: str, rule: dict, referrals: list[Referral], orders: list[Order], tiers: dict[str, str],
             risky: set[str], through: datetime) -> list[Line]:
    """Every reward line of ``rule`` as of ``through`` (see the module), in time order.
    ``tiers``: each member's VIP tier; ``risky``: members whose own rewards are held (a ring)."""
    return [line for _, lines in evaluate_months(rule_id, rule, referrals, orders, tiers, risky, through)
            for line in lines]


def evaluate_months(rule_id: str, rule: dict, referrals: list[Referral], orders: list[Order], tiers: dict[str, str],
                    risky: set[str], through: datetime) -> Iterator[tuple[int, list[Line]]]:
    """:func:`evaluate`'s lines a calendar month (UTC, as yyyymm) at a time, in order, so
    that a run writes a month while the next is evaluated: a month's lines are final once
    the months before it are (caps count in time order; a clawback is of its refund's month)."""
    by_friend = {r.friend_id: r for r in referrals if r.status != REJECTED}
    firsts: dict[int, list[Order]] = defaultdict(list)
    for o in _first_orders(rule, by_friend, orders, through):
        firsts[month_key(o.at)].append(o)
    reached: dict[int, list[Line]] = defaultdict(list)
    for line in _milestones(rule_id, rule, referrals, through):
        reached[month_key(line.at)].append(line)
    hold = timedelta(days=rule["hold_days"])
    referrer_reward, friend_reward, multipliers = rule[REFERRER], rule[FRIEND], rule["vip_multipliers"]
    clawbacks: dict[int, list[Line]] = defaultdict(list)
    months = sorted(firsts.keys() | reached.keys())
    counted: dict[tuple, int] = {}
    while months:
        month = heapq.heappop(months)
        if months and months[0] == month:
            continue  # a month pushed again by a clawback
        lines = reached.pop(month, [])
        for o in firsts.pop(month, ()):
            r = by_friend[o.buyer_id]
            refunded = o.refunded_at if o.refunded_at is not None and o.refunded_at <= through else None
            approves = o.at + hold
            for kind, beneficiary, reward, multiplier in (
                    (REFERRER, r.sponsor_id, referrer_reward, multipliers.get(tiers.get(r.sponsor_id, ""))),
                    (FRIEND, r.friend_id, friend_reward, None)):
                amount = reward_minor(reward, o.amount_minor, o.currency, multiplier)
                if amount <= 0:
                    continue
                line = Line(line_key(rule_id, o.id, kind, beneficiary), o.id, kind, beneficiary, amount, o.currency,
                            PENDING, o.at, approves, refunded_at=refunded)
                if refunded is not None and refunded < line.approves_at:
                    line.status = CANCELED
                elif r.status == HELD or (kind == REFERRER and beneficiary in risky):
                    line.status = HELD
                elif line.approves_at <= through:
                    line.status = APPROVED
                lines.append(line)
        lines.sort(key=CHRONOLOGICAL)
        _apply_caps(rule, lines, counted)
        # A refund after approval takes back what an approved (not capped) line paid, in the
        # refund's month (this one or a later one, visited even if nothing else falls in it).
        for line in lines:
            if line.status == APPROVED and line.refunded_at is not None:
                taken = month_key(line.refunded_at)
                clawbacks[taken].append(Line(f"{line.key}:{CLAWBACK}", line.event_id, CLAWBACK, line.beneficiary_id,
                                             -line.amount_minor, line.currency, APPROVED, line.refunded_at))
                if taken != month:
                    heapq.heappush(months, taken)
        taken_now = clawbacks.pop(month, None)
        if taken_now:
            lines += taken_now
            lines.sort(key=CHRONOLOGICAL)
        yield month, lines


def month_key(at: datetime) -> int:
    """The calendar month (UTC) of a time as yyyymm, the order months come in.

    >>> from datetime import timezone
    >>> month_key(datetime(2025, 12, 31, 23, 59, tzinfo=timezone.utc))
    202512
    """
    return at.year * 100 + at.month


def _milestones(rule_id: str, rule: dict, referrals: list[Referral], through: datetime) -> list[Line]:
    counts: dict[str, int] = {}
    steps = {m["referrals"]: m for m in rule["milestones"]}
    lines = []
    for r in sorted(referrals, key=attrgetter("joined_at", "friend_id")):
        if r.status in (HELD, REJECTED) or r.joined_at > through:
            continue
        counts[r.sponsor_id] = reached = counts.get(r.sponsor_id, 0) + 1
        if reached not in steps:
            continue
        m = steps[reached]
        # A badge is a line of no amount, so that it is reached (and kept) once like a reward.
        for currency, amount in sorted(m["reward"].items()) or [("", 0)]:
            lines.append(Line(f"{rule_id}:{MILESTONE}-{reached}:{MILESTONE}:{r.sponsor_id}" + (f":{currency}" if currency else ""),
                              f"{MILESTONE}-{reached}", MILESTONE, r.sponsor_id, amount, currency, APPROVED,
                              r.joined_at, badge=m["badge"]))
    return lines


def _apply_caps(rule: dict, lines: list[Line], counted: dict[tuple, int]) -> None:
    """Cap a calendar month's lines, which come in chronological order after those
    ``counted`` counts (per beneficiary, currency and period)."""
    if not lines:
        return
    # In a month only a line's day changes its periods.
    fixed = {p: period_key(p, lines[0].at) for p in rule["caps"] if p != "day"}
    for line in lines:
        if line.kind not in (REFERRER, MILESTONE) or line.status == CANCELED or line.amount_minor == 0:
            continue
        keys, broken = [], None
        for p, limits in rule["caps"].items():
            if line.currency in limits:
                key = (line.beneficiary_id, line.currency, p, fixed.get(p) or period_key(p, line.at))
                if broken is None and counted.get(key, 0) + line.amount_minor > limits[line.currency]:
                    broken = p
                keys.append(key)
        if broken:
            line.status, line.cap = CAPPED, broken
            continue
        for key in keys:
            counted[key] = counted.get(key, 0) + line.amount_minor
