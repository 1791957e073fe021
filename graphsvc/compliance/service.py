"""Compliance figures for the programme, a member's branch, and the riskiest
branches, over a period: read from Neo4j, computed by :mod:`.metrics`,
stored by a compliance analysis run, served from it for its exact period."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable, NamedTuple

import numpy as np

from ..db import Database, Tx, named_rows
from ..errors import NotFound
from ..fx import FxRates
from ..money import convert_minor
from ..gcpause import gc_paused
from ..periods import parse_period
from . import metrics
from .answers import branch_answer, program_answer
from .report import flagged_csv, report_html

__all__ = ["ComplianceService", "BRANCH_FLOOR"]

BRANCH_FLOOR = 10  # branches smaller than this do not crowd the ranking
# Readers sharing a period's orders: Neo4j runs each query on one core, so two
# readers use both cores of a small server.
ORDER_READERS = 2


class _MemberRow(NamedTuple):
    internal: int  # the node id, which keys the orders and lines read alongside
    id: str
    sponsor: int | None
    participant: bool


@dataclass
class _Period:
    """What a compliance computation reads: members, paid orders, ledger lines."""

    names: dict  # internal node id -> member id
    members: list
    orders: metrics.OrderColumns
    lines: list
    currency: str
    volumes_by_currency: dict | None  # currency -> kind -> minor units, when amounts were converted


class _LineRow(NamedTuple):
    beneficiary: int
    amount: int
    order_kind: str
    month: int
    currency: str


def _read_members_and_lines(tx: Tx, prefix: str, start, end) -> tuple[list, list, set]:
    members = tx.table("compliance/members", _MemberRow, prefix=prefix, to=end)
    record = tx.record("compliance/ledger_lines", prefix=prefix, **{"from": start, "to": end})
    return members, named_rows("compliance/ledger_lines", record, _LineRow), set(record["currencies"])


def _converted(amounts: list[int], currencies: list[str], months: list[int], target: str, rates: dict) -> list[int]:
    """Each amount in ``target`` at its currency's rate in its month (exact, half-even)."""
    return [amount if currency == target else convert_minor(amount, currency, target, rates[(currency, month)])
            for amount, currency, month in zip(amounts, currencies, months)]


@dataclass
class _Figures:
    program: dict  # as the API answers it
    branches: metrics.Branches
    currency: str
    distribution: np.ndarray  # each participant's commissions, for the income chart


class ComplianceService:
    """Compliance answers over a period; ``stored_run`` names the newest
    complete compliance run (whose exact period is served from storage)."""

    def __init__(self, db: Database, stored_run: Callable[[], str | None], fx: FxRates,
                 thresholds: dict | None = None):
        self.db = db
        self.stored_run = stored_run
        self.fx = fx
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
            order_currencies: list[str] = []
            for part in order_parts:
                record = part.result()
                for field, column in zip(metrics.OrderColumns._fields, columns):
                    column += record[field]
                order_currencies += record["order_currencies"]
                currencies |= set(record["currencies"])
        by_currency = None
        if len(currencies) > 1:
            # Several currencies: every amount in the reporting currency, at its month's rate.
            rates = self.fx.rates({*zip(order_currencies, columns.months),
                                   *((line.currency, line.month) for line in lines)})
            by_currency = {}
            for currency, kind, amount in zip(order_currencies, columns.kinds, columns.amounts):
                kinds = by_currency.setdefault(currency, {})
                kinds[kind] = kinds.get(kind, 0) + amount
            columns = columns._replace(amounts=_converted(columns.amounts, order_currencies, columns.months,
                                                          self.fx.reporting, rates))
            lines = [line._replace(amount=amount, currency=self.fx.reporting) for line, amount in zip(lines, _converted(
                [line.amount for line in lines], [line.currency for line in lines], [line.month for line in lines],
                self.fx.reporting, rates))]
            currencies = {self.fx.reporting}
        return _Period(names={m.internal: m.id for m in members},
                       members=[metrics.Member(m.internal, m.sponsor, m.participant) for m in members],
                       orders=columns, lines=[metrics.Line(*line[:4]) for line in lines],
                       currency=currencies.pop() if currencies else self.fx.reporting,
                       volumes_by_currency=by_currency)

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
        return _Figures(program_answer(programme, start, end, period.currency, period.volumes_by_currency),
                        branches, period.currency, programme["income"]["distribution"])

    def store(self, run_id: str, start, end) -> Callable[[], None]:
        """Compute the period and return the write-back of a compliance analysis run:
        the programme figures and the branches above the size floor, ranked."""
        start, end = parse_period(start, end)
        figures = self.compute(start, end)
        ranked = [{"rank": rank, "member_id": b["member_id"], "branch_size": b["branch_size"],
                   "item": json.dumps(branch_answer(b, figures.currency))}
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
        run_id = self.stored_run()
        stored = run_id and self.db.read("compliance/stored_report", run_id=run_id, **{"from": start, "to": end})
        return (run_id, stored[0]["program"]) if stored else None

    # -- answers ----------------------------------------------------------------------------
    def program(self, start, end) -> dict:
        """Programme figures and rule checks; from the newest compliance run when it
        covered exactly this period, else computed now."""
        start, end = parse_period(start, end)
        stored = self._stored(start, end)
        return json.loads(stored[1]) if stored else self.compute(start, end).program

    def member(self, member_id: str, start, end) -> dict:
        """The figures of one member's branch over the period (always computed now)."""
        rows = self.db.read("compliance/member_path", id=member_id)
        if not rows:
            raise NotFound(f"member {member_id} does not exist")
        start, end = parse_period(start, end)
        # Paths below the member start with its own path, so its branch is computed alone.
        period = self._read(start, end, rows[0]["path"])
        branches = metrics.branches(period.members, period.orders, period.lines)
        branches.rename(period.names)
        return branch_answer(branches[member_id], period.currency)

    def ranked_branches(self, start, end, limit: int, min_size: int = BRANCH_FLOOR) -> list[dict]:
        """Up to ``limit`` branches of at least ``min_size`` members, riskiest first;
        from the newest compliance run when it covered exactly this period, else computed now."""
        start, end = parse_period(start, end)
        stored = self._stored(start, end)
        if stored:
            return [json.loads(row["item"]) for row in
                    self.db.read("compliance/stored_branches", run_id=stored[0], min_size=min_size, limit=limit)]
        figures = self.compute(start, end)
        return [branch_answer(b, figures.currency) for b in figures.branches.ranked(min_size)[:limit]]

    def report(self, start, end, fmt: str, top: int = 20) -> str:
        """The HTML report or the CSV of flagged members, from one read of the period."""
        figures = self.compute(start, end)
        if fmt == "csv":
            return flagged_csv(figures.branches, figures.currency)
        return report_html(figures.program, figures.branches, figures.currency, figures.distribution,
                           floor=BRANCH_FLOOR, top=top)
