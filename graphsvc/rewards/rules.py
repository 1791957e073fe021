"""Reward rules, validated into canonical form (amounts in integer minor units per
currency, shares and multipliers as decimal strings); pure functions.

A rule document::

    {"referrer": {"flat": {"EUR": "10.00"}},     # or {"share": "0.10"} of the order
     "friend": {"share": "0.05"},                # or null: no friend reward
     "min_order": {"EUR": "20.00"},              # a smaller first order earns nothing
     "hold_days": 30,                            # pending this long, then approved
     "milestones": [{"referrals": 5, "badge": "starter", "reward": {"EUR": "5.00"}}],
     "caps": {"month": {"EUR": "100.00"}},       # per referrer and currency: day, month, year
     "vip_multipliers": {"platinum": "2"}}       # the referrer's tier in the latest influence run
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import lru_cache

from ..analysis.influence import DEFAULT_TIERS
from ..domain import CAP_PERIODS, FRIEND, REFERRER
from ..errors import Invalid
from ..money import MINOR_DIGITS
from ..network.fields import parse_amount

__all__ = ["DEFAULT_MILESTONES", "DEFAULT_HOLD_DAYS", "validate_rule", "reward_minor"]

DEFAULT_HOLD_DAYS = 30
# Approved referrals a member reaches, and the badge each earns.
DEFAULT_MILESTONES = ((5, "starter"), (10, "connector"), (25, "ambassador"), (100, "legend"))
MAX_MULTIPLIER = Decimal(10)
MAX_MILESTONE = 100_000  # approved referrals


def _amounts(value, field: str, errors: dict) -> dict[str, int]:
    """{currency: decimal string} as {currency: minor units}, errors under ``field``."""
    if not isinstance(value, dict) or not value:
        errors.setdefault(field, []).append("An object of currency codes and decimal amounts, e.g. {\"EUR\": \"10.00\"}.")
        return {}
    out = {}
    for currency, amount in value.items():
        try:
            if currency not in MINOR_DIGITS:
                raise ValueError(f"{currency!r} is not an accepted currency")
            out[currency] = parse_amount(currency, amount if isinstance(amount, str) else "")[1]
            if out[currency] <= 0:
                raise ValueError("more than zero")
        except ValueError as exc:
            errors.setdefault(field, []).append(f"{currency}: {exc}.")
    return out


def _decimal(value, field: str, errors: dict, low: Decimal, high: Decimal) -> str | None:
    try:
        number = Decimal(value) if isinstance(value, str) else None
        if number is None or not number.is_finite() or not low < number <= high or -number.as_tuple().exponent > 6:
            raise InvalidOperation
    except InvalidOperation:
        errors.setdefault(field, []).append(f"A decimal string above {low} and at most {high}, 6 places at most.")
        return None
    return str(number)


def _reward(value, field: str, errors: dict, optional: bool) -> dict | None:
    if value is None and optional:
        return None
    if isinstance(value, dict) and set(value) == {"flat"}:
        return {"flat": _amounts(value["flat"], f"{field}.flat", errors)}
    if isinstance(value, dict) and set(value) == {"share"}:
        return {"share": _decimal(value["share"], f"{field}.share", errors, Decimal(0), Decimal(1))}
    errors.setdefault(field, []).append('Either {"flat": {currency: amount}} or {"share": "0.10"}'
                                        + (", or null." if optional else "."))
    return None


def validate_rule(document: dict) -> dict:
    """The rule in canonical form, or Invalid with field errors.

    >>> rule = validate_rule({"referrer": {"flat": {"EUR": "10.00"}}, "caps": {"month": {"EUR": "25"}}})
    >>> rule["referrer"], rule["friend"], rule["hold_days"], rule["caps"], rule["milestones"][0]
    ({'flat': {'EUR': 1000}}, None, 30, {'month': {'EUR': 2500}}, {'referrals': 5, 'badge': 'starter', 'reward': {}})
    >>> validate_rule({"referrer": {"share": "1.5"}, "hold_days": -1})
    Traceback (most recent call last):
    ...
    graphsvc.errors.Invalid: the reward rule is not valid
    """
    errors: dict[str, list[str]] = {}
    if not isinstance(document, dict):
        raise Invalid("the reward rule is not valid", {"rule": ["A JSON object."]})
    unknown = set(document) - {REFERRER, FRIEND, "min_order", "hold_days", "milestones", "caps", "vip_multipliers"}
    if unknown:
        errors["rule"] = [f"Unknown fields: {', '.join(sorted(unknown))}."]
    rule = {REFERRER: _reward(document.get(REFERRER), REFERRER, errors, optional=False),
            FRIEND: _reward(document.get(FRIEND), FRIEND, errors, optional=True),
            "min_order": _amounts(document["min_order"], "min_order", errors) if document.get("min_order") else {}}
    hold = document.get("hold_days", DEFAULT_HOLD_DAYS)
    if not isinstance(hold, int) or isinstance(hold, bool) or not 0 <= hold <= 365:
        errors["hold_days"] = ["Whole days from 0 to 365."]
    rule["hold_days"] = hold
    milestones = document.get("milestones")
    if milestones is None:
        milestones = [{"referrals": n, "badge": badge} for n, badge in DEFAULT_MILESTONES]
    rule["milestones"] = []
    for i, m in enumerate(milestones if isinstance(milestones, list) else [None]):
        if not (isinstance(m, dict) and isinstance(m.get("referrals"), int) and 0 < m["referrals"] <= MAX_MILESTONE
                and isinstance(m.get("badge"), str) and 0 < len(m["badge"]) <= 40):
            errors.setdefault("milestones", []).append(f"milestones[{i}]: referrals (a count) and a badge name.")
            continue
        reward = _amounts(m["reward"], f"milestones[{i}].reward", errors) if m.get("reward") else {}
        rule["milestones"].append({"referrals": m["referrals"], "badge": m["badge"], "reward": reward})
    if len({m["referrals"] for m in rule["milestones"]}) != len(rule["milestones"]):
        errors.setdefault("milestones", []).append("Each count once.")
    rule["milestones"].sort(key=lambda m: m["referrals"])
    caps = document.get("caps") or {}
    if not isinstance(caps, dict) or set(caps) - set(CAP_PERIODS):
        errors["caps"] = [f"An object with any of {', '.join(CAP_PERIODS)}."]
        caps = {}
    rule["caps"] = {period: _amounts(caps[period], f"caps.{period}", errors) for period in CAP_PERIODS if period in caps}
    tiers = [name for name, _ in DEFAULT_TIERS]
    multipliers = document.get("vip_multipliers") or {}
    if not isinstance(multipliers, dict) or set(multipliers) - set(tiers):
        errors["vip_multipliers"] = [f"An object with any of {', '.join(tiers)}."]
        multipliers = {}
    rule["vip_multipliers"] = {tier: _decimal(multipliers[tier], f"vip_multipliers.{tier}", errors, Decimal(0),
                                              MAX_MULTIPLIER) for tier in tiers if tier in multipliers}
    if errors:
        raise Invalid("the reward rule is not valid", errors)
    return rule


def reward_minor(reward: dict | None, amount_minor: int, currency: str, multiplier: str | None = None) -> int:
    """What a reward pays on an order of ``amount_minor`` in ``currency`` (0 when the
    reward has no flat amount in that currency), times a VIP multiplier, rounded half-even
    to the minor unit.  Exact integer arithmetic on the shares' ratios (Decimal arithmetic
    was a third of a run's evaluation).

    >>> reward_minor({"share": "0.10"}, 1255, "EUR"), reward_minor({"flat": {"EUR": 1000}}, 99, "EUR", "1.5")
    (126, 1500)
    >>> reward_minor({"share": "0.10"}, 1245, "EUR"), reward_minor({"share": "0.05"}, 1250, "EUR", "1.5")
    (124, 94)
    >>> reward_minor({"flat": {"EUR": 1000}}, 5000, "USD"), reward_minor(None, 5000, "USD")
    (0, 0)
    """
    if reward is None:
        return 0
    if "flat" in reward:
        numerator, denominator = int(reward["flat"].get(currency, 0)), 1
    else:
        share, denominator = _ratio(reward["share"])
        numerator = amount_minor * share
    if multiplier is not None:
        times, per = _ratio(multiplier)
        numerator, denominator = numerator * times, denominator * per
    whole, rest = divmod(numerator, denominator)
    return whole + (2 * rest > denominator or (2 * rest == denominator and whole % 2 == 1))


@lru_cache(maxsize=256)
def _ratio(decimal: str) -> tuple[int, int]:
    """A decimal string as an exact ratio of integers."""
    return Decimal(decimal).as_integer_ratio()
