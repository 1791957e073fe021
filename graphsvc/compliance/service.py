"""Compliance figures for the programme, a member's branch, and the riskiest
branches, over a period; and the reviewer's report."""

from __future__ import annotations

import csv
import io
import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable

import numpy as np
from jinja2 import Environment, PackageLoader, select_autoescape

from ..db import Database, Tx
from ..errors import Invalid, NotFound
from ..gcpause import gc_paused
from ..money import to_decimal
from ..periods import parse_period
from . import metrics

__all__ = ["ComplianceService"]

BRANCH_FLOOR = 10  # branches smaller than this do not crowd the ranking
# Readers sharing a period's orders: Neo4j runs each query on one core; two
# took a 1M-member programme's 4.85M orders from 51 s to 36 s on two cores.
ORDER_READERS = 2

_templates = Environment(loader=PackageLoader("graphsvc.compliance", "templates"),
                         autoescape=select_autoescape(["html"]))


def _ratio(value: Decimal | None) -> float | None:
    return None if value is None else round(float(value), 6)


@dataclass
class _Period:
    """What a compliance computation reads: members, paid orders, ledger lines."""

    names: dict  # internal node id -> member id
    members: list
    orders: metrics.OrderColumns
    lines: list
    currency: str


def _read_members_and_lines(tx: Tx, prefix: str, start, end) -> tuple[list, list, set]:
    members = tx.rows("compliance/members", prefix=prefix, to=end)
    record = tx.record("compliance/ledger_lines", prefix=prefix, **{"from": start, "to": end})
    return members, record["rows"], set(record["currencies"])


@dataclass
class _Figures:
    program: dict  # as the API answers it
    branches: metrics.Branches
    currency: str
    chart: dict  # the income distribution's bars


class ComplianceService:
    def __init__(self, db: Database, thresholds: dict | None = None):
        self.db = db
        self.thresholds = thresholds or {}

    # -- reading and computing ------------------------------------------------------------
    def _read(self, start, end, prefix: str = "") -> _Period:
        query = "compliance/branch_orders" if prefix else "compliance/period_orders"
        parts = 1 if prefix else ORDER_READERS
        # The orders are the long read: they stream in their own transactions, a part
        # each, while this thread reads members and lines (internal node ids are
        # stable across transactions).
        with ThreadPoolExecutor(max_workers=parts) as pool:
            order_parts = [pool.submit(self.db.read_tx, lambda tx, part=part: tx.record(
                query, prefix=prefix, parts=parts, part=part, **{"from": start, "to": end})) for part in range(parts)]
            members, lines, currencies = self.db.read_tx(_read_members_and_lines, prefix, start, end)
            columns = metrics.OrderColumns(*[[] for _ in metrics.OrderColumns._fields])
            for part in order_parts:
                record = part.result()
                for field, column in zip(metrics.OrderColumns._fields, columns):
                    column += record[field]
                currencies |= set(record["currencies"])
        if len(currencies) > 1:
            raise Invalid("compliance figures need a single currency in the period",
                          {"from": [f"The period mixes {', '.join(sorted(currencies))}."]})
        return _Period(names={internal: member_id for internal, member_id, _, _ in members},
                       members=[metrics.Member(internal, sponsor, participant)
                                for internal, _, sponsor, participant in members],
                       orders=columns, lines=lines,
                       currency=currencies.pop() if currencies else "USD")

    def compute(self, start, end) -> _Figures:
        """Programme figures and every branch for the period, named by member id."""
        start, end = parse_period(start, end)
        with gc_paused():
            period = self._read(start, end)
            programme, branches = metrics.figures(period.members, period.orders, period.lines, self.thresholds)
        branches.rename(period.names)
        for check in programme["checks"]:
            for item in check.get("listed", ()):
                item["member_id"] = period.names[item["member_id"]]
            check.get("listed", []).sort(key=lambda item: (item["member_id"], item["month"]))
        return _Figures(self._program_out(programme, start, end, period.currency), branches, period.currency,
                        _income_chart(programme["income"]["distribution"]))

    def store(self, run_id: str, start, end) -> Callable[[], None]:
        """Compute the period and return the write-back of a compliance analysis run:
        the programme figures and the branches above the size floor, ranked."""
        start, end = parse_period(start, end)
        figures = self.compute(start, end)
        ranked = [{"rank": rank, "member_id": b["member_id"], "branch_size": b["branch_size"],
                   "item": json.dumps(self._branch_out(b, figures.currency))}
                  for rank, b in enumerate(figures.branches.ranked(BRANCH_FLOOR), start=1)]

        def write() -> None:
            for first in range(0, len(ranked), 10_000):
                self.db.write("compliance/write_branches", run_id=run_id, rows=ranked[first : first + 10_000])
            self.db.write("compliance/write_report", run_id=run_id, program=json.dumps(figures.program),
                          **{"from": start, "to": end})
        return write

    def _stored(self, start, end) -> tuple[str, str] | None:
        """The newest compliance run's id and programme figures (JSON), when that
        run covered exactly this period."""
        rows = self.db.read("analysis/latest_run", kinds=["compliance"])
        stored = rows and self.db.read("compliance/stored_report", run_id=rows[0]["id"], **{"from": start, "to": end})
        return (rows[0]["id"], stored[0]["program"]) if stored else None

    # -- answers ----------------------------------------------------------------------------
    def program(self, start, end) -> dict:
        """From the newest compliance run when it covered exactly this period, else computed now."""
        start, end = parse_period(start, end)
        stored = self._stored(start, end)
        return json.loads(stored[1]) if stored else self.compute(start, end).program

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
        start, end = parse_period(start, end)
        # Paths below the member start with its own path, so its branch is computed alone.
        period = self._read(start, end, rows[0]["path"])
        branches = metrics.branches(period.members, period.orders, period.lines)
        branches.rename(period.names)
        return self._branch_out(branches[member_id], period.currency)

    def ranked_branches(self, start, end, limit: int, min_size: int = BRANCH_FLOOR) -> list[dict]:
        """From the newest compliance run when it covered exactly this period, else computed now."""
        start, end = parse_period(start, end)
        stored = self._stored(start, end)
        if stored:
            return [json.loads(row["item"]) for row in
                    self.db.read("compliance/stored_branches", run_id=stored[0], min_size=min_size, limit=limit)]
        figures = self.compute(start, end)
        return [self._branch_out(b, figures.currency) for b in figures.branches.ranked(min_size)[:limit]]

    # -- report ---------------------------------------------------------------------
    def report(self, start, end, fmt: str, top: int = 20) -> str:
        """The HTML report or the CSV of flagged members, from one read of the period."""
        figures = self.compute(start, end)
        branches, currency = figures.branches, figures.currency
        if fmt == "csv":
            out = io.StringIO()
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(["member_id", "branch_size", *metrics.KINDS, "recruitment_ratio",
                             "distinct_retail_customers", "flags"])
            for b in branches.flagged():
                writer.writerow([b["member_id"], b["branch_size"],
                                 *(to_decimal(b["volumes"][k], currency) for k in metrics.KINDS),
                                 "unbounded" if b["recruitment_ratio"] is None else round(b["recruitment_ratio"], 6),
                                 b["distinct_retail_customers"], " ".join(b["flags"])])
            return out.getvalue()
        return _templates.get_template("report.html").render(
            program=figures.program,
            branches=[self._branch_out(b, currency) for b in branches.ranked(BRANCH_FLOOR)[:top]],
            chart=figures.chart)


def _income_chart(earnings_minor: np.ndarray, buckets: int = 10) -> dict:
    """Bars of the income distribution: participants by decile of commission earned."""
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
