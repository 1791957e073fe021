"""Commission plan rules, as pure functions over Decimal."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from ..domain import ID_RULE_TEXT, MAX_LEVELS, ORDER_KINDS, PLAN_ID, RATE_SCALE
from ..errors import Invalid

__all__ = ["validate_plan_id", "validate_plan", "rate_ppm"]


def rate_ppm(rate: str) -> int:
    """A validated rate string as integer parts per million.

    >>> rate_ppm("0.125")
    125000
    """
    return int(Decimal(rate) * RATE_SCALE)


def validate_plan_id(plan_id: str) -> str:
    """The plan id, or Invalid when it breaks the id rule (so every stored plan can be run).

    >>> validate_plan_id("=1+1")
    Traceback (most recent call last):
    ...
    graphsvc.errors.Invalid: plan id '=1+1' is not valid
    """
    if not PLAN_ID.match(plan_id or ""):
        raise Invalid(f"plan id {plan_id!r} is not valid", {"id": [f"An id: {ID_RULE_TEXT}."]})
    return plan_id


def validate_plan(rates: list[str], compression: bool, commissionable_kinds: list[str]) -> dict:
    """The plan in canonical form, or Invalid with field errors.

    >>> validate_plan(["0.10", "0.05"], True, ["retail"])["rates"]
    ['0.10', '0.05']
    >>> validate_plan(["0.7", "0.4"], True, ["retail"])
    Traceback (most recent call last):
    ...
    graphsvc.errors.Invalid: the plan is not valid
    """
    errors: dict[str, list[str]] = {}
    if not 1 <= len(rates) <= MAX_LEVELS:
        errors["rates"] = [f"Between 1 and {MAX_LEVELS} levels."]
    parsed = []
    for i, rate in enumerate(rates):
        try:
            value = Decimal(rate)
            ok = value.is_finite() and 0 <= value < 1 and -value.as_tuple().exponent <= 6
        except (InvalidOperation, TypeError):
            ok = False
        if not ok:
            errors.setdefault("rates", []).append(
                f"rates[{i}]: a decimal string in [0, 1) with at most 6 decimal places.")
        else:
            parsed.append(value)
    if len(parsed) == len(rates) and sum(parsed) > 1:
        errors.setdefault("rates", []).append("The rates add up to more than 1.")
    unknown = sorted(set(commissionable_kinds) - set(ORDER_KINDS))
    if unknown or not commissionable_kinds:
        errors["commissionable_kinds"] = [f"A non-empty list of {', '.join(ORDER_KINDS)}."]
    if errors:
        raise Invalid("the plan is not valid", errors)
    return {"rates": list(rates), "compression": bool(compression),
            "commissionable_kinds": sorted(set(commissionable_kinds))}
