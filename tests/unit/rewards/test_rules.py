"""A reward's amount against Decimal arithmetic written here: a share of an order, times a
VIP multiplier, rounded half-even to the minor unit, for random shares, multipliers and
amounts (ties included)."""

from decimal import ROUND_HALF_EVEN, Decimal

from hypothesis import example, given, strategies as st

from graphsvc.rewards.rules import reward_minor

SHARES = st.integers(0, 10_000).map(lambda n: str(Decimal(n).scaleb(-4)))  # 0.0000 to 1.0000
MULTIPLIERS = st.one_of(st.none(), st.integers(0, 1_000).map(lambda n: str(Decimal(n).scaleb(-2))))


@given(share=SHARES, multiplier=MULTIPLIERS, amount=st.integers(0, 10**12))
@example(share="0.1", multiplier=None, amount=1245)  # 124.5: rounds down to the even 124
@example(share="0.1", multiplier=None, amount=1255)  # 125.5: rounds up to the even 126
@example(share="0.05", multiplier="1.5", amount=1250)  # 93.75
def test_a_share_times_a_multiplier_rounds_half_even(share, multiplier, amount):
    """The amount equals the Decimal computation of the same share and multiplier."""
    expected = (Decimal(amount) * Decimal(share) * Decimal(multiplier or 1)).quantize(Decimal(1), ROUND_HALF_EVEN)
    assert reward_minor({"share": share}, amount, "EUR", multiplier) == int(expected)


@given(flat=st.integers(0, 10**9), multiplier=MULTIPLIERS)
def test_a_flat_reward_times_a_multiplier_rounds_half_even(flat, multiplier):
    """A flat reward in the order's currency, times the multiplier; nothing in another currency."""
    expected = (Decimal(flat) * Decimal(multiplier or 1)).quantize(Decimal(1), ROUND_HALF_EVEN)
    assert reward_minor({"flat": {"EUR": flat}}, 5000, "EUR", multiplier) == int(expected)
    assert reward_minor({"flat": {"EUR": flat}}, 5000, "USD", multiplier) == 0
