"""Compliance figures as the API and the report show them: money as decimal
strings in the period's currency, ratios as floats rounded to 6 places."""

from __future__ import annotations

from decimal import Decimal

from ..money import format_minor

__all__ = ["ratio", "program_answer", "branch_answer"]


def ratio(value: Decimal | None) -> float | None:
    """A Decimal share as the float the API shows; None stays None.

    >>> ratio(Decimal(2) / Decimal(3)), ratio(None)
    (0.666667, None)
    """
    return None if value is None else round(float(value), 6)


def _amounts(by_kind: dict, currency: str) -> dict:
    return {kind: format_minor(minor, currency) for kind, minor in by_kind.items()}


def program_answer(report: dict, start, end, currency: str, volumes_by_currency: dict | None = None) -> dict:
    """The programme figures of :func:`graphsvc.compliance.metrics.programme` for the API;
    with ``volumes_by_currency`` (minor units per currency and kind, before conversion
    into ``currency``), those too."""
    income = report["income"]
    return {
        "from": start.isoformat(), "to": end.isoformat(),
        "currency": currency,
        "volumes": _amounts(report["volumes"], currency),
        "volumes_by_currency": {c: _amounts(kinds, c) for c, kinds in sorted((volumes_by_currency or {}).items())},
        "commissions_by_kind": _amounts(report["commissions_by_kind"], currency),
        "end_user_commission_share": ratio(report["end_user_commission_share"]),
        "checks": [{**c, "threshold": ratio(c["threshold"]), "observed": ratio(c["observed"]),
                    **({"listed": [{**item, "retail": format_minor(item["retail"], currency),
                                    "volume": format_minor(item["volume"], currency)} for item in c["listed"]]}
                       if "listed" in c else {})}
                   for c in report["checks"]],
        "income": {
            "participants": income["participants"],
            "with_zero_commission": ratio(income["with_zero_commission"]),
            "median_commission": format_minor(income["median_commission"], currency),
            "top_1pct_share": ratio(income["top_1pct_share"]),
            "net_loss_share": ratio(income["net_loss_share"]),
        },
    }


def branch_answer(branch: dict, currency: str) -> dict:
    """One branch of :class:`graphsvc.compliance.metrics.Branches` for the API."""
    return {
        "member_id": branch["member_id"],
        "branch_size": branch["branch_size"],
        "volumes": _amounts(branch["volumes"], currency),
        "commissions_by_kind": _amounts(branch["commissions_by_kind"], currency),
        "distinct_retail_customers": branch["distinct_retail_customers"],
        "recruitment_ratio": ratio(branch["recruitment_ratio"]),
        "recruitment_ratio_unbounded": branch["recruitment_ratio"] is None and branch["recruitment_volume"] > 0,
        "flags": branch["flags"],
    }
