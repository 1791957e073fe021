"""Programme KPIs over a period: read from Neo4j, computed by :mod:`.metrics`,
stored by a ``kpis`` analysis run and served from it for its exact period."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from typing import Callable, NamedTuple

import numpy as np

from ..db import Database, Tx
from ..domain import REJECTED, VIA_CLICK, VIA_CODE
from ..gcpause import gc_paused
from ..money import format_minor, format_per
from ..network.forest import depths
from ..periods import parse_period
from . import metrics
from .report import kpis_csv, kpis_html

__all__ = ["KpiService", "BREAKDOWNS", "DEFAULT_FIRST_ORDER_DAYS", "MAX_FIRST_ORDER_DAYS"]

BREAKDOWNS = ("month", "campaign", "channel")
DEFAULT_FIRST_ORDER_DAYS = 30
MAX_FIRST_ORDER_DAYS = 365
# Orders are read up to a year and a day past the period: a cohort's first-year revenue.
HORIZON = timedelta(days=metrics.CLV_DAYS + 1)
ORDER_READERS = 2


def _ms(t: datetime) -> int:
    return int(t.timestamp() * 1000)


def _read_members(tx: Tx) -> tuple[np.ndarray, metrics.Members, np.ndarray]:
    """Members sorted by internal id (the ids, the columns, each one's forest depth)."""
    record = tx.record("kpis/members", vias=[VIA_CLICK, VIA_CODE], rejected=REJECTED, click=VIA_CLICK)
    internal = np.asarray(record["internal"], dtype=np.int64)
    order = np.argsort(internal)
    internal = internal[order]

    def column(name: str, dtype=object) -> np.ndarray:
        return np.asarray(record[name], dtype=dtype)[order]

    sponsor_internal = column("sponsor", np.int64)
    position = np.minimum(np.searchsorted(internal, sponsor_internal), max(len(internal) - 1, 0))
    sponsor = np.where((sponsor_internal >= 0) & (internal[position] == sponsor_internal), position, -1)
    members = metrics.Members(
        joined=column("joined", np.int64), sponsor=sponsor, referred=column("referred", bool),
        by_click=column("by_click", bool), campaign=column("campaign"), channel=column("channel"),
        active_now=column("active_now", bool), status_since=column("status_since", np.int64))
    return internal, members, depths(sponsor)


def _month_key(yyyymm: int) -> str:
    """A month as the KPIs name it (YYYY-MM); the queries give yyyymm."""
    return f"{yyyymm // 100}-{yyyymm % 100:02d}"


class _Inputs(NamedTuple):
    """What :func:`metrics.kpis` takes, as read from the store."""

    members: metrics.Members
    depth: np.ndarray
    orders: metrics.Orders
    clicks: dict
    costs: list
    sales: list


def _money(amounts: dict[str, int]) -> dict[str, str]:
    return {currency: format_minor(amount, currency) for currency, amount in sorted(amounts.items())}


def _answer(figures: dict) -> dict:
    """The figures of one period or group with every amount a decimal string."""
    out = dict(figures)
    if "referred_sales" in out:
        out["referred_sales"] = _money(out["referred_sales"])
    if "sales" in out:
        out["sales"] = {c: {"by_kind": {k: format_minor(v, c) for k, v in s["by_kind"].items()},
                            "retail": format_minor(s["retail"], c), "own_purchases": format_minor(s["own_purchases"], c)}
                        for c, s in out["sales"].items()}
    if "cost" in out:
        out["cost"] = {c: {k: format_minor(v, c) for k, v in parts.items()} for c, parts in out["cost"].items()}
        out["cac"] = {c: {"value": format_per(x["cost"], x["referred_members"], c) if x["referred_members"] else None,
                          "cost": format_minor(x["cost"], c), "referred_members": x["referred_members"],
                          "reason": None if x["referred_members"] else "no referred member joined in the period"}
                      for c, x in out["cac"].items()}
        out["roi"] = {c: {**r, "numerator": format_minor(r["numerator"], c), "denominator": format_minor(r["denominator"], c)}
                      for c, r in out["roi"].items()}
    return out


def _cohort_answer(cohort: dict) -> dict:
    out = dict(cohort)
    out["clv"] = {}
    for name, part in cohort["clv"].items():
        out["clv"][name] = {"members": part["members"], "revenue": _money(part["revenue"]),
                            "per_member": {c: format_per(a, part["members"], c) for c, a in sorted(part["revenue"].items())}
                            if part["members"] else {},
                            "reason": None if part["members"] else "no one in this part of the cohort"}
    return out


class KpiService:
    """KPI answers over a period; ``stored_run`` names the newest complete KPI run
    (whose exact period, at the default first-order window, is served from storage)."""

    def __init__(self, db: Database, stored_run: Callable[[], str | None]):
        self.db = db
        self.stored_run = stored_run

    # -- reading and computing ------------------------------------------------------------
    def read(self, start: datetime, end: datetime) -> _Inputs:
        """What the KPIs of [start, end) are computed from.  Neo4j runs each query on one
        core: the click counts and the order readers run beside the members' read."""
        period = {"from": start, "to": end}
        with ThreadPoolExecutor(max_workers=3) as pool:
            codes = pool.submit(self.db.read, "kpis/code_groups")

            def by_code(by: str) -> list[dict]:
                group_of = {c["code"]: c[by] for c in codes.result() if c[by]}
                return self.db.read("kpis/clicks_group", group_of=group_of, **period)

            orders = [pool.submit(self.db.read_tx, lambda tx, part=part: tx.record(
                "kpis/orders", parts=ORDER_READERS, part=part, horizon=end + HORIZON, vias=[VIA_CLICK, VIA_CODE],
                rejected=REJECTED, **period)) for part in range(ORDER_READERS)]
            clicks = {"total": pool.submit(self.db.read, "kpis/clicks_total", **period),
                      "month": pool.submit(self.db.read, "kpis/clicks_month", **period),
                      **{by: pool.submit(by_code, by) for by in ("campaign", "channel")}}
            internal, members, depth = self.db.read_tx(_read_members)
            costs = [metrics.Cost(**row) for row in self.db.read("kpis/costs", **period)]
            sales = [metrics.Sale(_month_key(r["month"]), r["kind"], r["currency"], r["amount"])
                     for r in self.db.read("kpis/sales", **period)]
            columns: dict[str, list] = {"members": [], "at": [], "amounts": [], "currencies": []}
            for part in orders:
                record = part.result()
                for name, column in columns.items():
                    column += record[name]
            click_counts = {by: {_month_key(row["key"]) if by == "month" else row["key"]:
                                 metrics.ClickCounts(row["clicks"], row["visitors"], row["sharers"])
                                 for row in future.result()} for by, future in clicks.items()}
        currencies, currency = np.unique(np.asarray(columns["currencies"], dtype=object), return_inverse=True)
        return _Inputs(members, depth, metrics.Orders(
            member=np.searchsorted(internal, np.asarray(columns["members"], dtype=np.int64)),
            at=np.asarray(columns["at"], dtype=np.int64), amount=np.asarray(columns["amounts"], dtype=np.int64),
            currency=currency.astype(np.int64), currencies=tuple(currencies.tolist())), click_counts, costs, sales)

    def compute(self, start, end, first_order_days: int = DEFAULT_FIRST_ORDER_DAYS,
                as_of: datetime | None = None) -> dict:
        """Every KPI of the period (see :mod:`.metrics`), amounts as decimal strings."""
        start, end = parse_period(start, end)
        as_of = as_of or datetime.now(timezone.utc)
        with gc_paused():
            i = self.read(start, end)
            raw = metrics.kpis(i.members, i.orders, i.clicks, i.costs, i.sales, _ms(start), _ms(end),
                               as_of=_ms(as_of), depth=i.depth, first_order_days=first_order_days)
        at_risk = self.db.read("kpis/count_at_risk", **{"from": start, "to": end})[0]
        return {"from": start.isoformat(), "to": end.isoformat(), "first_order_days": first_order_days,
                "computed_at": as_of.isoformat(),
                "headline": {**_answer(raw["headline"]), "at_risk": at_risk["members"],
                             "at_risk_downline": at_risk["downline"]},
                "by": {name: [_answer(group) for group in groups] for name, groups in raw["by"].items()},
                "cohorts": [_cohort_answer(c) for c in raw["cohorts"]]}

    def store(self, run_id: str, start, end) -> Callable[[], None]:
        """Compute the period and return the write-back of a KPI analysis run."""
        start, end = parse_period(start, end)
        figures = self.compute(start, end)
        return lambda: self.db.write("kpis/write_report", run_id=run_id, kpis=json.dumps(figures),
                                     **{"from": start, "to": end})

    def run_summary(self, run_id: str) -> dict:
        """What a KPI run found, in a few headline figures (ratios as values)."""
        rows = self.db.read("kpis/run_report", run_id=run_id)
        if not rows:
            return {}
        h = json.loads(rows[0]["kpis"])["headline"]
        return {**{k: h[k] for k in ("clicks", "new_members", "referred_signups", "first_orders", "at_risk")},
                **{k: h[k]["value"] for k in ("participation_rate", "click_to_signup", "referral_rate")}}

    # -- answers ----------------------------------------------------------------------------
    def figures(self, start, end, first_order_days: int = DEFAULT_FIRST_ORDER_DAYS) -> dict:
        """Every KPI of the period with ``run_id``: from the newest KPI run when it
        covered exactly this period (at the default window), else computed now (null)."""
        start, end = parse_period(start, end)
        run_id = self.stored_run() if first_order_days == DEFAULT_FIRST_ORDER_DAYS else None
        stored = run_id and self.db.read("kpis/stored_report", run_id=run_id, **{"from": start, "to": end})
        if stored:
            return {"run_id": run_id, **json.loads(stored[0]["kpis"])}
        return {"run_id": None, **self.compute(start, end, first_order_days)}

    def breakdown(self, start, end, by: str, first_order_days: int = DEFAULT_FIRST_ORDER_DAYS) -> dict:
        """The headline figures, the groups of one breakdown and the cohorts."""
        figures = self.figures(start, end, first_order_days)
        return {**{k: v for k, v in figures.items() if k != "by"}, "by": by, "groups": figures["by"][by]}

    def at_risk(self, start, end, limit: int) -> dict:
        """Active members whose sponsor stopped being active in the period, biggest
        downline first."""
        start, end = parse_period(start, end)
        rows = self.db.read("kpis/at_risk", limit=limit, **{"from": start, "to": end})
        for row in rows:
            row["sales"] = {s["currency"]: format_minor(s["amount"], s["currency"]) for s in row["sales"]}
        return {"from": start.isoformat(), "to": end.isoformat(), "items": rows}

    def report(self, start, end, fmt: str) -> str:
        """The marketer's report (HTML) or the figures by month (CSV), with the
        previous period of the same length beside this one."""
        start, end = parse_period(start, end)
        figures = self.figures(start, end)
        if fmt == "csv":
            return kpis_csv(figures)
        previous = self.figures(start - (end - start), start)
        return kpis_html(figures, previous)
