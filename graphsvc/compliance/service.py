"""Compliance figures for the programme, a member's branch, and the riskiest
branches, over a period; and the reviewer's report."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from jinja2 import Environment, PackageLoader, select_autoescape

from ..db import Database, Tx
from ..errors import Invalid, NotFound
from ..money import to_decimal
from ..periods import parse_period
from . import metrics

__all__ = ["ComplianceService"]

BRANCH_FLOOR = 10  # branches smaller than this do not crowd the ranking

_templates = Environment(loader=PackageLoader("graphsvc.compliance", "templates"),
                         autoescape=select_autoescape(["html"]))


def _rows(tx: Tx, prefix: str, start, end) -> tuple[list, list, list, set]:
    members = [metrics.Member(i, p) for i, p in tx.rows("compliance/participants", prefix=prefix, to=end)]
    orders, currencies = [], set()
    for seller, buyer, kind, amount, month, customer, currency in tx.rows(
            "compliance/paid_orders", prefix=prefix, **{"from": start, "to": end}):
        orders.append(metrics.Order(seller, buyer, kind, amount, month, customer))
        currencies.add(currency)
    lines = []
    for beneficiary, amount, kind, month, currency in tx.rows(
            "compliance/ledger_lines", prefix=prefix, **{"from": start, "to": end}):
        lines.append(metrics.Line(beneficiary, amount, kind, month))
        currencies.add(currency)
    return members, orders, lines, currencies


def _ratio(value: Decimal | None) -> float | None:
    return None if value is None else round(float(value), 6)


class ComplianceService:
    def __init__(self, db: Database, thresholds: dict | None = None):
        self.db = db
        self.thresholds = thresholds or {}

    def _load(self, start, end, prefix: str = ""):
        start, end = parse_period(start, end)
        members, orders, lines, currencies = self.db.read_tx(_rows, prefix, start, end)
        if len(currencies) > 1:
            raise Invalid("compliance figures need a single currency in the period",
                          {"from": [f"The period mixes {', '.join(sorted(currencies))}."]})
        return members, orders, lines, (currencies.pop() if currencies else "USD")

    def program(self, start, end) -> dict:
        start, end = parse_period(start, end)
        members, orders, lines, currency = self._load(start, end)
        return self._program_out(metrics.programme(members, orders, lines, self.thresholds), start, end, currency)

    def _program_out(self, report: dict, start, end, currency: str) -> dict:
        money = lambda minor: str(to_decimal(minor, currency))  # noqa: E731
        income = report["income"]
        return {
            "from": start.isoformat(), "to": end.isoformat(),
            "currency": currency,
            "volumes": {k: money(v) for k, v in report["volumes"].items()},
            "commissions_by_kind": {k: money(v) for k, v in report["commissions_by_kind"].items()},
            "end_user_commission_share": _ratio(report["end_user_commission_share"]),
            "checks": [{**c, "threshold": _ratio(c["threshold"]), "observed": _ratio(c["observed"]),
                        **({"listed": [{**item, "retail": money(item["retail"]), "volume": money(item["volume"])}
                                       for item in c["listed"]]} if "listed" in c else {})}
                       for c in report["checks"]],
            "income": {
                "participants": income["participants"],
                "with_zero_commission": _ratio(income["with_zero_commission"]),
                "median_commission": money(income["median_commission"]),
                "top_1pct_share": _ratio(income["top_1pct_share"]),
                "net_loss_share": _ratio(income["net_loss_share"]),
            },
        }

    def _branch_out(self, branch: dict, currency: str) -> dict:
        return {
            "member_id": branch["member_id"],
            "branch_size": branch["branch_size"],
            "volumes": {k: str(to_decimal(v, currency)) for k, v in branch["volumes"].items()},
            "commissions_by_kind": {k: str(to_decimal(v, currency)) for k, v in branch["commissions_by_kind"].items()},
            "distinct_retail_customers": branch["distinct_retail_customers"],
            "recruitment_ratio": _ratio(branch["recruitment_ratio"]),
            "recruitment_ratio_unbounded": branch["recruitment_ratio"] is None and branch["recruitment_volume"] > 0,
            "flags": branch["flags"],
        }

    def member(self, member_id: str, start, end) -> dict:
        rows = self.db.read("compliance/member_path", id=member_id)
        if not rows:
            raise NotFound(f"member {member_id} does not exist")
        members, orders, lines, currency = self._load(start, end, rows[0]["path"])
        # Paths below the member start with its own path, so its branch is computed alone.
        branch = metrics.branches(members, orders, lines).get(member_id)
        if branch is None:  # joined after the period
            branch = metrics.branches([metrics.Member(member_id, f"/{member_id}/")], [], [])[member_id]
            branch["branch_size"] = 0
        return self._branch_out(branch, currency)

    def ranked_branches(self, start, end, limit: int, min_size: int = BRANCH_FLOOR) -> list[dict]:
        members, orders, lines, currency = self._load(start, end)
        return self._ranked(metrics.branches(members, orders, lines), currency, limit, min_size)

    def _ranked(self, branches: dict, currency: str, limit: int, min_size: int = BRANCH_FLOOR) -> list[dict]:
        ranked = sorted((b for b in branches.values() if b["branch_size"] >= min_size),
                        key=lambda b: (metrics.risk_key(b), b["member_id"]), reverse=True)
        return [self._branch_out(b, currency) for b in ranked[:limit]]

    # -- report ---------------------------------------------------------------------
    def report(self, start, end, fmt: str, top: int = 20) -> str:
        """The HTML report or the CSV of flagged members, from one read of the period."""
        start, end = parse_period(start, end)
        members, orders, lines, currency = self._load(start, end)
        branches = metrics.branches(members, orders, lines)
        if fmt == "csv":
            out = io.StringIO()
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(["member_id", "branch_size", *metrics.KINDS, "recruitment_ratio",
                             "distinct_retail_customers", "flags"])
            for b in sorted(branches.values(), key=lambda b: b["member_id"]):
                if b["flags"]:
                    writer.writerow([b["member_id"], b["branch_size"],
                                     *(to_decimal(b["volumes"][k], currency) for k in metrics.KINDS),
                                     "unbounded" if b["recruitment_ratio"] is None else round(b["recruitment_ratio"], 6),
                                     b["distinct_retail_customers"], " ".join(b["flags"])])
            return out.getvalue()
        programme = metrics.programme(members, orders, lines, self.thresholds)
        return _templates.get_template("report.html").render(
            program=self._program_out(programme, start, end, currency),
            branches=self._ranked(branches, currency, top),
            chart=_income_chart(programme["income"]["distribution"]))


def _income_chart(earnings_minor: list[int], buckets: int = 10) -> dict:
    """Bars of the income distribution: participants by decile of commission earned."""
    ordered = sorted(earnings_minor)
    n = len(ordered)
    bars = []
    for i in range(buckets):
        part = ordered[i * n // buckets : (i + 1) * n // buckets]
        bars.append({"label": f"{i * 10}-{(i + 1) * 10}%", "total": sum(part)})
    peak = max((b["total"] for b in bars), default=0) or 1
    for i, bar in enumerate(bars):
        bar["height"] = round(180 * max(bar["total"], 0) / peak, 1)
        bar["x"] = 40 + i * 56
        bar["y"] = 200 - bar["height"]
    return {"bars": bars, "width": 40 + buckets * 56, "height": 230}
