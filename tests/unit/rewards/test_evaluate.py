"""Reward lines against an oracle written here: random referrals, first orders, refunds
and decisions; balances per member, currency and status equal the oracle's, and caps are
never exceeded and only ever hit by a line that would exceed them."""

from datetime import datetime, timedelta, timezone
from decimal import ROUND_HALF_EVEN, Decimal

from hypothesis import given, settings, strategies as st

from graphsvc.rewards.evaluate import Order, Referral, evaluate, evaluate_months, month_key, period_key
from graphsvc.rewards.rules import validate_rule

T0 = datetime(2025, 1, 1, tzinfo=timezone.utc)
MEMBERS = ["A", "B", "C", "D", "E", "F"]


def _at(hours: int) -> datetime:
    return T0 + timedelta(hours=hours)


@st.composite
def programmes(draw):
    referrals, orders = [], []
    for i, friend in enumerate(MEMBERS[2:]):  # A and B refer; C..F are friends
        sponsor = draw(st.sampled_from(["A", "B"]))
        status = draw(st.sampled_from(["held", "approved", "rejected", None]))
        joined = draw(st.integers(0, 24 * 60))
        referrals.append(Referral(friend, sponsor, _at(joined), status))
        for j in range(draw(st.integers(0, 3))):
            at = joined + draw(st.integers(-24, 24 * 60))
            refund = draw(st.one_of(st.none(), st.integers(0, 24 * 60), st.just(24 * 14)))  # 14 days: the boundary
            orders.append(Order(f"O{i}{j}", friend, draw(st.integers(100, 20_000)), draw(st.sampled_from(["EUR", "JPY"])),
                                _at(at), _at(at + refund) if refund is not None else None))
    through = _at(draw(st.integers(0, 24 * 90)))
    return referrals, orders, through


RULE = validate_rule({"referrer": {"share": "0.10"}, "friend": {"flat": {"EUR": "5.00", "JPY": "500"}},
                      "min_order": {"EUR": "10.00"}, "hold_days": 14,
                      "milestones": [{"referrals": 2, "badge": "two", "reward": {"EUR": "3.00"}}],
                      "vip_multipliers": {"gold": "1.5"}})
TIERS = {"A": "gold"}


def _oracle(referrals, orders, through, risky):
    """Balances {(member, currency, status): minor units}, worked event by event."""
    balances: dict = {}

    def add(member, currency, status, amount):
        balances[member, currency, status] = balances.get((member, currency, status), 0) + amount

    for r in referrals:
        if r.status == "rejected":
            continue
        mine = [o for o in orders if o.buyer_id == r.friend_id and r.joined_at <= o.at <= through
                and not (o.currency == "EUR" and o.amount_minor < 1000)]
        if not mine:
            continue
        o = min(mine, key=lambda o: (o.at, o.id))
        refunded = o.refunded_at if o.refunded_at and o.refunded_at <= through else None
        approves = o.at + timedelta(days=14)
        share = Decimal(o.amount_minor) * Decimal("0.10") * (Decimal("1.5") if r.sponsor_id == "A" else 1)
        for member, amount, is_referrer in ((r.sponsor_id, int(share.quantize(Decimal(1), ROUND_HALF_EVEN)), True),
                                            (r.friend_id, 500, False)):
            if amount == 0:
                continue
            if refunded and refunded < approves:
                status = "canceled"
            elif r.status == "held" or (is_referrer and member in risky):
                status = "held"
            elif approves <= through:
                status = "approved"
                if refunded:
                    add(member, o.currency, "approved", -amount)  # the clawback
            else:
                status = "pending"
            add(member, o.currency, status, amount)
    for sponsor in ("A", "B"):
        counted = sorted(r.joined_at for r in referrals
                         if r.sponsor_id == sponsor and r.status in ("approved", None) and r.joined_at <= through)
        if len(counted) >= 2:
            add(sponsor, "EUR", "approved", 300)
    return balances


def _balances(lines):
    balances: dict = {}
    for line in lines:
        if line.amount_minor:
            key = (line.beneficiary_id, line.currency, line.status)
            balances[key] = balances.get(key, 0) + line.amount_minor
    return balances


@settings(max_examples=300, deadline=None)
@given(programmes(), st.booleans())
def test_balances_per_status_equal_the_oracle(programme, ring):
    referrals, orders, through = programme
    risky = {"B"} if ring else set()
    lines = evaluate("R", RULE, referrals, orders, TIERS, risky, through)
    assert {k: v for k, v in _balances(lines).items() if v} == {k: v for k, v in _oracle(
        referrals, orders, through, risky).items() if v}
    assert len({line.key for line in lines}) == len(lines)  # once per event, rule, beneficiary and kind


@settings(max_examples=300, deadline=None)
@given(programmes(), st.integers(100, 3000), st.sampled_from(["day", "month", "year"]))
def test_caps_are_never_exceeded_and_only_a_line_that_would_exceed_one_is_capped(programme, cap, period):
    referrals, orders, through = programme
    rule = {**RULE, "caps": {period: {"EUR": cap, "JPY": cap}}}
    lines = evaluate("R", rule, referrals, orders, TIERS, set(), through)
    uncapped = {line.key: line for line in evaluate("R", RULE, referrals, orders, TIERS, set(), through)}
    counted: dict = {}
    for line in sorted(lines, key=lambda line: (line.at, line.key)):
        if line.kind not in ("referrer", "milestone") or line.status == "canceled" or not line.amount_minor:
            continue
        key = (line.beneficiary_id, line.currency, period_key(period, line.at))
        if line.status == "capped":
            assert line.cap == period and counted.get(key, 0) + line.amount_minor > cap
            continue
        counted[key] = counted.get(key, 0) + line.amount_minor
        assert counted[key] <= cap
        assert line.status == uncapped[line.key].status
    # A capped line is never clawed back: it paid nothing.
    capped = {line.key for line in lines if line.status == "capped"}
    assert not [line for line in lines if line.kind == "clawback" and line.key.removesuffix(":clawback") in capped]


def test_a_friend_s_first_order_earns_both_sides_once_worked_by_hand():
    friend = Referral("F", "S", _at(0), "approved")
    orders = [Order("O1", "F", 5000, "EUR", _at(1), None), Order("O2", "F", 9000, "EUR", _at(2), None)]
    lines = evaluate("R", RULE, [friend], orders, {}, set(), _at(24 * 15))
    # Only O1 (the first order) pays: 10% of 50.00 to S, 5.00 to F; both approved after 14 days.
    assert sorted((x.kind, x.beneficiary_id, x.amount_minor, x.status) for x in lines) == [
        ("friend", "F", 500, "approved"), ("referrer", "S", 500, "approved")]
    refunded_in_hold = [Order("O1", "F", 5000, "EUR", _at(1), _at(24 * 13))]
    assert {x.status for x in evaluate("R", RULE, [friend], refunded_in_hold, {}, set(), _at(24 * 15))} == {"canceled"}
    refunded_after = [Order("O1", "F", 5000, "EUR", _at(1), _at(24 * 14 + 1))]  # the moment it was approved
    late = evaluate("R", RULE, [friend], refunded_after, {}, set(), _at(24 * 15))
    assert sorted((x.kind, x.amount_minor, x.status) for x in late) == [
        ("clawback", -500, "approved"), ("clawback", -500, "approved"),
        ("friend", 500, "approved"), ("referrer", 500, "approved")]


@settings(max_examples=200, deadline=None)
@given(programmes())
def test_months_come_once_each_in_order_with_their_own_lines(programme):
    referrals, orders, through = programme
    months = list(evaluate_months("R", RULE, referrals, orders, TIERS, set(), through))
    assert [month for month, _ in months] == sorted({month for month, _ in months})
    assert all(lines and {month_key(line.at) for line in lines} == {month} for month, lines in months)


def test_a_clawback_alone_in_its_month_comes_in_that_month():
    # Bought 2025-01-10, approved 2025-01-24, refunded 2025-03-02: February has nothing.
    friend = Referral("C", "A", _at(0), None)
    orders = [Order("O1", "C", 5000, "EUR", _at(24 * 9), _at(24 * 60))]
    months = evaluate_months("R", RULE, [friend], orders, {}, set(), _at(24 * 70))
    assert [(month, sorted(line.kind for line in lines)) for month, lines in months] == [
        (202501, ["friend", "referrer"]), (202503, ["clawback", "clawback"])]
