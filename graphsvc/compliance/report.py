"""The reviewer's compliance report: an HTML page (rules, volumes, income
chart, riskiest branches) or a CSV of every flagged member."""

from __future__ import annotations

import csv
import io

import numpy as np

from ..charts import bar_chart, environment
from ..domain import ORDER_KINDS
from ..money import format_minor
from .answers import branch_answer
from .metrics import Branches

__all__ = ["flagged_csv", "report_html", "income_chart"]

_templates = environment("graphsvc.compliance")


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
        chart=income_chart(distribution, currency))


def income_chart(earnings_minor: np.ndarray, currency: str, buckets: int = 10) -> dict:
    """Bars of the income distribution, labelled: the commissions earned by each tenth of
    participants (lowest earners first), with a y axis in ``currency``.

    >>> chart = income_chart(np.arange(10), "USD", buckets=2)
    >>> [(bar["category"], bar["text"]) for bar in chart["bars"]], [tick["label"] for tick in chart["ticks"]]
    ([('0-50%', '0.10'), ('50-100%', '0.35')], ['0.00', '0.17', '0.35'])
    """
    ordered = np.sort(earnings_minor)
    n = len(ordered)
    share = 100 // buckets
    totals = [int(ordered[i * n // buckets : (i + 1) * n // buckets].sum()) for i in range(buckets)]
    return {**bar_chart([f"{i * share}-{(i + 1) * share}%" for i in range(buckets)], {"commissions": totals},
                        fmt=lambda v: format_minor(v, currency),
                        x_title="Participants by tenth of commission earned, lowest earners first",
                        y_title=f"Commissions earned ({currency})"), "currency": currency}
