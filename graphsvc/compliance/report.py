"""The reviewer's compliance report: an HTML page (rules, volumes, income
chart, riskiest branches) or a CSV of every flagged member."""

from __future__ import annotations

import csv
import io

import numpy as np
from jinja2 import Environment, PackageLoader, select_autoescape

from ..domain import ORDER_KINDS
from ..money import format_minor
from .answers import branch_answer
from .metrics import Branches

__all__ = ["flagged_csv", "report_html", "income_chart"]

_templates = Environment(loader=PackageLoader("graphsvc.compliance", "templates"),
                         autoescape=select_autoescape(["html"]))


def flagged_csv(branches: Branches, currency: str) -> str:
    """One CSV row per member whose branch raises a flag, by member id."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["member_id", "branch_size", *ORDER_KINDS, "recruitment_ratio", "distinct_retail_customers",
                     "flags"])
    for b in branches.flagged():
        writer.writerow([b["member_id"], b["branch_size"], *(format_minor(b["volumes"][k], currency) for k in ORDER_KINDS),
                         "unbounded" if b["recruitment_ratio"] is None else round(b["recruitment_ratio"], 6),
                         b["distinct_retail_customers"], " ".join(b["flags"])])
    return out.getvalue()


def report_html(program: dict, branches: Branches, currency: str, distribution: np.ndarray, *,
                floor: int, top: int) -> str:
    """The HTML page: ``program`` as the API answers it, the ``top`` riskiest
    branches of at least ``floor`` members, and the income distribution's chart."""
    return _templates.get_template("report.html").render(
        program=program, branches=[branch_answer(b, currency) for b in branches.ranked(floor)[:top]],
        chart=income_chart(distribution))


def income_chart(earnings_minor: np.ndarray, buckets: int = 10) -> dict:
    """Bars of the income distribution: participants by decile of commission earned.

    >>> [bar["total"] for bar in income_chart(np.arange(10), buckets=2)["bars"]]
    [10, 35]
    """
    ordered = np.sort(earnings_minor)
    n = len(ordered)
    bars = []
    for i in range(buckets):
        part = ordered[i * n // buckets : (i + 1) * n // buckets]
        bars.append({"label": f"{i * 10}-{(i + 1) * 10}%", "total": int(part.sum())})
    peak = max((b["total"] for b in bars), default=0) or 1
    for i, bar in enumerate(bars):
        bar["height"] = round(180 * max(bar["total"], 0) / peak, 1)
        bar["x"] = 40 + i * 56
        bar["y"] = 200 - bar["height"]
    return {"bars": bars, "width": 40 + buckets * 56, "height": 230}
