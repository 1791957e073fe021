"""Plans, commission runs and statements.

A run pays, for every paid order of a commissionable kind with ``at`` in
``[from, to)``, ``rates[k]`` of its amount to the seller's (k+1)-th eligible
upline member.  The upline walk and the arithmetic happen in Cypher
(``cypher/commissions/pay_orders.cypher``) over batches of orders, in
integer minor units.  Ledger lines are MERGEd behind a uniqueness constraint
on (order, beneficiary, level, kind, generation), so a rerun — of a finished
run or of one interrupted midway — pays nothing twice and leaves no gaps.

A plan changed after its run for a period does not change that run: asking
again is a conflict, unless an adjustment run is asked for, which pays the
difference between what the current version owes on the network as it is and
what the plan's runs of the period paid, as lines of kind ``adjustment`` in
generation = the plan version.
"""

from __future__ import annotations

import hashlib
from functools import partial
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import Callable, Iterator

from ..db import ConstraintViolation, Database, DatabaseUnavailable
from ..domain import MAX_PAGE_SIZE, ORDER_KINDS, RATE_SCALE
from ..errors import Conflict, NotFound
from ..money import format_minor
from ..paging import decode_cursor, encode_cursor, newest_first
from ..periods import parse_period
from .plans import rate_ppm, validate_plan, validate_plan_id

__all__ = ["CommissionService"]

BATCH = 2000
# Concurrent batch transactions: Neo4j runs each on one core, so two writers
# use both cores of a small server (measured in docs/benchmarks.md).
WRITERS = 2
Progress = Callable[[int], None]
# A ledger line's place in a statement: lines are unique per (order, beneficiary, level,
# kind, generation), and a statement is one beneficiary's.
LINE_KEY = ("order_id", "level", "kind", "generation")


def run_id_for(plan_id: str, start, end, adjusting_to: int | None = None) -> str:
    """Runs are identified by plan and period (an adjustment run also by the plan version
    it adjusts to), so asking again finds the same run."""
    key = f"{plan_id}|{start.isoformat()}|{end.isoformat()}" + (f"|v{adjusting_to}" if adjusting_to else "")
    return f"run-{hashlib.sha256(key.encode()).hexdigest()[:16]}"


class CommissionService:
    """Plans (versioned), commission runs over a period, statements and exports."""

    def __init__(self, db: Database):
        self.db = db

    # -- plans --------------------------------------------------------------------
    def put_plan(self, plan_id: str, rates: list[str], compression: bool,
                 commissionable_kinds: list[str]) -> dict:
        """Store a new version of the plan, unless it equals the current one."""
        validate_plan_id(plan_id)
        plan = validate_plan(rates, compression, commissionable_kinds)
        current = self.db.read("commissions/current_plan", id=plan_id)
        if current and all(current[0][k] == v for k, v in plan.items()):
            return current[0]
        version = current[0]["version"] + 1 if current else 1
        try:
            return self.db.write("commissions/create_plan_version", id=plan_id, version=version, **plan)[0]
        except ConstraintViolation:
            raise Conflict(f"plan {plan_id} was changed concurrently; retry")

    def plans(self, limit: int) -> list[dict]:
        """Plans by id, each its newest version with the numbers of all its versions."""
        return self.db.read("commissions/plans", limit=limit)

    def plan_versions(self, plan_id: str) -> list[dict]:
        """Every version of a plan, oldest first; NotFound when there is none."""
        versions = self.db.read("commissions/plan_versions", id=plan_id)
        if not versions:
            raise NotFound(f"plan {plan_id} does not exist")
        return versions

    def plan(self, plan_id: str, version: int | None = None) -> dict:
        """A plan's current version, or the given version; NotFound when there is none."""
        rows = self.db.read("commissions/plan_version", id=plan_id, version=version) if version \
            else self.db.read("commissions/current_plan", id=plan_id)
        if not rows:
            raise NotFound(f"plan {plan_id} does not exist")
        return rows[0]

    # -- runs ---------------------------------------------------------------------
    def run(self, plan_id: str, start, end, progress: Progress | None = None,
            on_total: Callable[[int], None] | None = None, adjust: bool = False) -> dict:
        """Run (or resume, or find) the commission run for a plan and period.  When that
        run paid an older version of the plan: Conflict, or with ``adjust``, the
        adjustment run to the current version (run, resumed or found likewise)."""
        start, end = parse_period(start, end)
        current = self.plan(plan_id)
        run_id = run_id_for(plan_id, start, end)
        state = self._start(run_id, plan_id, current["version"], start, end)
        if state["status"] != "complete":
            # A resumed run keeps the plan version it started with.
            plan = self.plan(plan_id, state["plan_version"])
            return self._execute(run_id, plan, start, end, plan["commissionable_kinds"], [run_id], 0,
                                 progress, on_total)
        if state["plan_version"] == current["version"]:
            return self.get_run(run_id)
        if not adjust:
            raise Conflict(
                f"run {run_id} paid plan {plan_id} version {state['plan_version']} for this period; "
                f"the plan is now version {current['version']}; ask for an adjustment run to pay the difference",
                {"plan_id": [f"Run {run_id} used version {state['plan_version']}; "
                             f"the current version is {current['version']}."]})
        adjustment_id = run_id_for(plan_id, start, end, current["version"])
        if self._start(adjustment_id, plan_id, current["version"], start, end, adjusts=run_id)["status"] == "complete":
            return self.get_run(adjustment_id)
        # Every run of the plan over the period counts as paid, and orders of every kind are
        # looked at: a kind the new version no longer pays is adjusted to nothing.
        runs = self.db.read("commissions/period_runs", plan_id=plan_id, **{"from": start, "to": end})[0]["ids"]
        return self._execute(adjustment_id, current, start, end, list(ORDER_KINDS), runs, current["version"],
                             progress, on_total)

    def _start(self, run_id: str, plan_id: str, version: int, start, end, adjusts: str | None = None) -> dict:
        return self.db.write("commissions/start_run", id=run_id, plan_id=plan_id, plan_version=version,
                             adjusts=adjusts, **{"from": start, "to": end})[0]

    def _execute(self, run_id: str, plan: dict, start, end, kinds: list[str], runs: list[str], generation: int,
                 progress: Progress | None, on_total: Callable[[int], None] | None) -> dict:
        """Pay the period's paid orders of ``kinds`` less what ``runs`` paid, as lines of
        ``generation``; a failure is recorded on the run (which asking again resumes)."""
        order_ids = [r["id"] for r in self.db.read("commissions/period_orders", timeout=600, **{
            "from": start, "to": end, "kinds": kinds})]
        if on_total:
            on_total(len(order_ids))
        try:
            self._pay(run_id, plan, order_ids, runs, generation, progress)
        except DatabaseUnavailable:
            raise  # the run stays running; asking again resumes it
        except Exception as exc:  # recorded on the run, which a rerun resumes
            self.db.write("commissions/fail_run", id=run_id, error=f"{type(exc).__name__}: {exc}"[:500])
            raise
        return self.get_run(run_id)

    def _pay(self, run_id: str, plan: dict, order_ids: list[str], runs: list[str], generation: int,
             progress: Progress | None) -> None:
        """Pay the orders in batches on WRITERS writers, reverse refunds, complete the run."""
        rates = plan["rates"]
        rates_ppm = [rate_ppm(r) for r in rates]

        def pay(batch: list[str]) -> int:
            self.db.write("commissions/pay_orders", timeout=600, order_ids=batch, run_id=run_id,
                          compression=plan["compression"], rates=rates, rates_ppm=rates_ppm,
                          rate_scale=RATE_SCALE, kinds=plan["commissionable_kinds"], runs=runs,
                          kind="adjustment" if generation else "commission", generation=generation)
            return len(batch)

        # Batches touch disjoint orders, so they commit independently; an interrupted
        # run has some batches done and MERGE makes the rerun fill only the gaps.
        done = 0
        with ThreadPoolExecutor(max_workers=WRITERS) as writers:
            batches = [order_ids[first : first + BATCH] for first in range(0, len(order_ids), BATCH)]
            for paid in as_completed([writers.submit(pay, batch) for batch in batches]):
                count = paid.result()
                done += count
                self.db.write("commissions/set_run_progress", id=run_id, orders=len(order_ids), orders_done=done)
                if progress:
                    progress(count)
        self.db.write("commissions/reverse_refunds", timeout=600, run_id=run_id, plan_id=plan["id"])
        self.db.write("commissions/set_run_progress", id=run_id, orders=len(order_ids),
                      orders_done=len(order_ids))
        self.db.write("commissions/finish_runs", timeout=600, ids=[run_id])

    def runs_page(self, limit: int, cursor: str | None, plan_id: str | None = None,
                  status: str | None = None) -> dict:
        """Runs newest first (of one plan, in one status), ``limit`` after ``cursor``, as
        :meth:`get_run` shows them, and the next page's cursor."""
        page = newest_first(partial(self.db.read, plan_id=plan_id, status=status), "commissions/runs_page",
                            limit, cursor)
        return {**page, "items": [self.get_run(row["id"]) for row in page["items"]]}

    def _record(self, run_id: str) -> dict:
        rows = self.db.read("commissions/run", id=run_id)
        if not rows:
            raise NotFound(f"commission run {run_id} does not exist")
        return rows[0]

    def get_run(self, run_id: str) -> dict:
        """A run with its progress and totals per currency; NotFound when there is none."""
        run = self._record(run_id)
        totals = [{"currency": t["currency"], "total": format_minor(t["total_minor"], t["currency"]), "lines": t["lines"]}
                  for t in self.db.read("commissions/run_totals", id=run_id)]
        single = totals[0] if len(totals) == 1 else None
        done, orders = run.pop("orders_done") or 0, run.pop("orders")
        return {
            **run,
            "progress": 1.0 if run["status"] == "complete" else (done / orders if orders else 0.0),
            "total": single["total"] if single else ("0" if not totals else None),
            "currency": single["currency"] if single else None,
            "totals": totals,
            "lines": sum(t["lines"] for t in totals),
        }

    def statement(self, member_id: str, run_id: str, limit: int = MAX_PAGE_SIZE, cursor: str | None = None) -> dict:
        """A page of a member's ledger lines in one run (``limit`` after ``cursor``, and the
        next page's cursor) with their totals per currency, read from the totals the run
        stored when it completed (``total`` and ``currency`` too when there is one
        currency; no totals while the run is not complete).  NotFound for an unknown run
        or member."""
        run = self._record(run_id)  # alone: the run's totals would sum every line of the run
        if not self.db.read("network/member_exists", id=member_id):
            raise NotFound(f"member {member_id} does not exist")
        after = decode_cursor(cursor, LINE_KEY) if cursor else None
        rows = self.db.read("commissions/member_lines", run_id=run_id, member_id=member_id, after=after,
                            limit=limit + 1)
        lines = rows[:limit]
        complete = run["status"] == "complete"
        totals = [{"currency": t["currency"], "total": format_minor(t["amount_minor"], t["currency"])}
                  for t in self.db.read("commissions/member_totals", run_id=run_id, member_id=member_id)] \
            if complete else None
        single = totals[0] if totals and len(totals) == 1 else None
        return {
            "member_id": member_id,
            "run_id": run_id,
            "total": single["total"] if single else ("0" if totals == [] else None),
            "currency": single["currency"] if single else None,
            "totals": totals,
            "lines": [{**{k: v for k, v in line.items() if k not in ("amount_minor", "generation")},
                       "amount": format_minor(line["amount_minor"], line["currency"])} for line in lines],
            "next_cursor": encode_cursor({k: lines[-1][k] for k in LINE_KEY}) if len(rows) > limit else None,
        }

    def export_rows(self, run_id: str) -> Iterator[tuple[str, str, str]]:
        """(beneficiary_id, total, currency) for every non-zero total in the run; NotFound
        at once (before any row) for an unknown run."""
        self.get_run(run_id)
        rows = self.db.read("commissions/run_beneficiary_totals", id=run_id)
        return ((r["beneficiary_id"], format_minor(r["total_minor"], r["currency"]), r["currency"]) for r in rows)
