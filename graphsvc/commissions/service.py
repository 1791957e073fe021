"""Plans, commission runs and statements.

A run pays, for every paid order of a commissionable kind with ``at`` in
``[from, to)``, ``rates[k]`` of its amount to the seller's (k+1)-th eligible
upline member.  The upline walk and the arithmetic happen in Cypher
(``cypher/commissions/pay_batch.cypher``) over batches of orders that are
neighbours in the tree, in integer minor units, and each batch is written as
one ledger batch with a statement part per beneficiary (:mod:`.ledger`).  A run
holds a lease while it pays, and a resumed run skips the orders its batches
settled, so a rerun — of a finished run or of one interrupted midway — pays
nothing twice and leaves no gaps.  Periods of different runs do not overlap, so
an order is paid by one run (and its adjustment runs).

A plan changed after its run for a period does not change that run: asking
again is a conflict, unless an adjustment run is asked for, which pays the
difference between what the current version owes on the network as it is and
what the plan's runs of the period paid, as lines of kind ``adjustment`` in
generation = the plan version.
"""

from __future__ import annotations

import hashlib
import heapq
import time
from functools import partial
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import Callable, Iterator

from ..db import ConstraintViolation, Database, DatabaseUnavailable, Tx
from ..domain import MAX_PAGE_SIZE, ORDER_KINDS, RATE_SCALE
from ..errors import Conflict, Invalid, NotFound
from ..money import format_minor
from ..paging import decode_cursor, encode_cursor, newest_first
from ..periods import parse_period
from .ledger import BATCH, batch_key
from .plans import rate_ppm, validate_plan, validate_plan_id

__all__ = ["CommissionService"]

# Concurrent batch transactions: Neo4j runs each on one core, so two writers
# use both cores of a small server (measured in docs/benchmarks.md).
WRITERS = 2
PROGRESS_EVERY_S = 1.0
# A run's lease outlives any run (it ends with the process or its connection).
RUN_LEASE_S = 7 * 24 * 3600
Progress = Callable[[int], None]
# A statement's place: the batch of a statement part and how many of its lines came before.
STATEMENT_KEY = ("batch", "skip")


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
        self._refuse_overlap(plan_id, start, end, current["commissionable_kinds"])
        state = self._start(run_id, plan_id, current["version"], start, end)
        if state["status"] != "complete":
            # A resumed run keeps the plan version it started with.
            plan = self.plan(plan_id, state["plan_version"])
            return self._execute(run_id, plan, start, end, plan["commissionable_kinds"], [], 0,
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
        return self._execute(adjustment_id, current, start, end, list(ORDER_KINDS),
                             [r for r in runs if r != adjustment_id], current["version"], progress, on_total)

    def _refuse_overlap(self, plan_id: str, start, end, kinds: list[str]) -> None:
        """Conflict when a run that could pay the same orders overlaps this period: each
        order is paid by one run (and its adjustments)."""
        rows = self.db.read("commissions/overlapping_runs", plan_id=plan_id, kinds=kinds, **{"from": start, "to": end})
        if rows:
            other = rows[0]
            raise Conflict(f"run {other['id']} of plan {other['plan_id']} pays {other['from']} to {other['to']}, "
                           "which overlaps this period, on orders this plan pays; an order is paid by one run",
                           {"from": [f"Overlaps run {other['id']} ({other['from']} to {other['to']})."]})

    def _start(self, run_id: str, plan_id: str, version: int, start, end, adjusts: str | None = None) -> dict:
        return self.db.write("commissions/start_run", id=run_id, plan_id=plan_id, plan_version=version,
                             adjusts=adjusts, **{"from": start, "to": end})[0]

    def _execute(self, run_id: str, plan: dict, start, end, kinds: list[str], paid_by: list[str], generation: int,
                 progress: Progress | None, on_total: Callable[[int], None] | None) -> dict:
        """Under the run's lease: pay the period's paid orders of ``kinds`` that the run's
        batches have not settled, less what runs ``paid_by`` paid, as lines of
        ``generation``; a failure is recorded on the run (which asking again resumes)."""
        with self.db.lease({"graphsvc_commission_run": run_id}, RUN_LEASE_S, "locks/run", id=run_id):
            if self._record(run_id)["status"] == "complete":  # paid by a process this one waited for
                return self.get_run(run_id)
            order_ids = self._period_orders(start, end, kinds)
            batches = self.db.read("commissions/run_batches", run_id=run_id)
            settled = {o for b in batches if b["kind"] != "reversal" for o in b["order_ids"]}
            todo = [o for o in order_ids if o not in settled]
            if on_total:
                on_total(len(order_ids))
            if progress and len(todo) < len(order_ids):
                progress(len(order_ids) - len(todo))
            try:
                self._pay(run_id, plan, todo, len(order_ids), 1 + max((int(b["batch"]) for b in batches), default=-1),
                          paid_by, generation, progress)
            except DatabaseUnavailable:
                raise  # the run stays running; asking again resumes it
            except Exception as exc:  # recorded on the run, which a rerun resumes
                self.db.write("commissions/fail_run", id=run_id, error=f"{type(exc).__name__}: {exc}"[:500])
                raise
        return self.get_run(run_id)

    def _period_orders(self, start, end, kinds: list[str]) -> list[str]:
        """The period's orders to pay in their sellers' tree order, read as WRITERS
        slices of the period at once and merged."""
        bounds = [start + (end - start) * i / WRITERS for i in range(WRITERS)] + [end]

        def read(i: int) -> dict:
            return self.db.read("commissions/period_orders", timeout=600, kinds=kinds,
                                **{"from": bounds[i], "to": bounds[i + 1]})[0]

        with ThreadPoolExecutor(max_workers=WRITERS) as readers:
            slices = list(readers.map(read, range(WRITERS)))
        return [order_id for _, order_id in heapq.merge(*(zip(s["paths"], s["ids"]) for s in slices))]

    def _pay(self, run_id: str, plan: dict, order_ids: list[str], orders: int, first_batch: int,
             paid_by: list[str], generation: int, progress: Progress | None) -> None:
        """Pay the orders in batches on WRITERS writers, reverse refunds, complete the run."""
        rates = plan["rates"]
        rates_ppm = [rate_ppm(r) for r in rates]

        def pay(number: int, batch: list[str]) -> int:
            self.db.write("commissions/pay_batch", timeout=600, order_ids=batch, run_id=run_id,
                          batch=batch_key(number), compression=plan["compression"], rates=rates,
                          rates_ppm=rates_ppm, levels=len(rates), rate_scale=RATE_SCALE,
                          kinds=plan["commissionable_kinds"], paid=self._paid(paid_by, batch),
                          kind="adjustment" if generation else "commission", generation=generation,
                          reverses_run_id=None)
            return len(batch)

        # Batches settle disjoint orders, so they commit independently; an interrupted
        # run has some batches done and the rerun pays only the others.
        done = orders - len(order_ids)
        batches = [order_ids[first : first + BATCH] for first in range(0, len(order_ids), BATCH)]
        with ThreadPoolExecutor(max_workers=WRITERS) as writers:
            futures = [writers.submit(pay, first_batch + i, batch) for i, batch in enumerate(batches)]
            recorded = 0.0
            for paid in as_completed(futures):
                count = paid.result()
                done += count
                if time.monotonic() - recorded >= PROGRESS_EVERY_S:  # often enough to watch, not per batch
                    self.db.write("commissions/set_run_progress", id=run_id, orders=orders, orders_done=done)
                    recorded = time.monotonic()
                if progress:
                    progress(count)
        number = first_batch + len(batches)
        for source in self.db.read("commissions/refunds_to_reverse", timeout=600, plan_id=plan["id"]):
            self.db.write("commissions/reverse_batch", timeout=600, run_id=run_id, batch=batch_key(number),
                          kind="reversal", generation=source["generation"], reverses_run_id=source["run_id"],
                          source_batch=source["batch"], order_ids=source["order_ids"])
            number += 1
        self.db.write("commissions/set_run_progress", id=run_id, orders=orders, orders_done=orders)
        self.db.write("commissions/finish_runs", timeout=600, ids=[run_id])

    def _paid(self, runs: list[str], order_ids: list[str]) -> dict:
        """What ``runs`` paid on these orders: order id -> [{key: [beneficiary, level], amount}]."""
        paid: dict[str, list] = {}
        if runs:
            for line in self.db.read("commissions/paid_lines", timeout=600, runs=runs, order_ids=order_ids):
                paid.setdefault(line["order_id"], []).append(
                    {"key": [line["beneficiary_id"], line["level"]], "amount": line["amount"]})
        return paid

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
        """A run with its progress, and its totals per currency once complete (lines
        so far before); NotFound when there is none."""
        run = self._record(run_id)
        complete = run["status"] == "complete"
        totals = [{"currency": c, "total": format_minor(t, c), "lines": n}
                  for c, t, n in zip(run.pop("currencies"), run.pop("totals_minor"), run.pop("lines_by_currency"))]
        single = totals[0] if len(totals) == 1 else None
        done, orders, batch_lines = run.pop("orders_done") or 0, run.pop("orders"), run.pop("batch_lines")
        return {
            **run,
            "progress": 1.0 if complete else (done / orders if orders else 0.0),
            "total": single["total"] if single else ("0" if complete and not totals else None),
            "currency": single["currency"] if single else None,
            "totals": totals if complete else None,
            "lines": sum(t["lines"] for t in totals) if complete else sum(batch_lines),
        }

    def statement(self, member_id: str, run_id: str, limit: int = MAX_PAGE_SIZE, cursor: str | None = None) -> dict:
        """A page of a member's ledger lines in one run (``limit`` after ``cursor``, and the
        next page's cursor), in the order the run wrote them, with their totals per
        currency read from the statements the run wrote when it completed (``total`` and
        ``currency`` too when there is one currency; no totals while the run is not
        complete).  NotFound for an unknown run or member.  One read transaction: the
        lines and totals agree, in few round trips."""
        batch, skip = self._statement_place(cursor) if cursor else ("", 0)
        return self.db.read_tx(self._statement, member_id, run_id, batch, skip, limit)

    def _statement(self, tx: Tx, member_id: str, run_id: str, batch: str, skip: int, limit: int) -> dict:
        runs = tx.run("commissions/run", id=run_id)
        if not runs:
            raise NotFound(f"commission run {run_id} does not exist")
        if not tx.run("network/member_exists", id=member_id):
            raise NotFound(f"member {member_id} does not exist")
        lines, place = self._lines(tx, member_id, run_id, batch, skip, limit + 1)
        totals = [{"currency": t["currency"], "total": format_minor(t["amount_minor"], t["currency"])}
                  for t in tx.run("commissions/member_totals", run_id=run_id, member_id=member_id)] \
            if runs[0]["status"] == "complete" else None
        single = totals[0] if totals and len(totals) == 1 else None
        return {
            "member_id": member_id,
            "run_id": run_id,
            "total": single["total"] if single else ("0" if totals == [] else None),
            "currency": single["currency"] if single else None,
            "totals": totals,
            "lines": lines[:limit],
            "next_cursor": encode_cursor(dict(zip(STATEMENT_KEY, place[limit - 1]))) if len(lines) > limit else None,
        }

    @staticmethod
    def _statement_place(cursor: str) -> tuple[str, int]:
        place = decode_cursor(cursor, STATEMENT_KEY)
        if not isinstance(place["batch"], str) or not isinstance(place["skip"], int) or place["skip"] < 0:
            raise Invalid("The cursor is not valid.", {"cursor": ["Not a cursor this service issued."]})
        return place["batch"], place["skip"]

    @staticmethod
    def _lines(tx: Tx, member_id: str, run_id: str, batch: str, skip: int, wanted: int) -> tuple[list, list]:
        """Up to ``wanted`` statement lines from ``skip`` lines into part ``batch`` on, and
        each one's place (batch, lines of its part up to and including it).  Parts are
        read a few at a time, more each round, each cut to the lines still wanted."""
        lines, places, parts = [], [], 4
        while len(lines) < wanted:
            rows = tx.run("commissions/member_lines", run_id=run_id, member_id=member_id, after_batch=batch,
                          skip=skip, wanted=wanted - len(lines), parts=parts)
            for part in rows:
                for i, order_id in enumerate(part["order_ids"][: wanted - len(lines)]):
                    lines.append({"order_id": order_id, "level": part["levels"][i], "kind": part["kind"],
                                  "rate": part["rates"][i], "currency": part["currencies"][i],
                                  "order_kind": part["order_kinds"][i],
                                  "amount": format_minor(part["amounts"][i], part["currencies"][i])})
                    places.append((part["batch"], part["first"] + i + 1))
            if len(rows) < parts:
                break
            batch, skip, parts = rows[-1]["batch"], rows[-1]["size"], parts * 4
        return lines, places

    def export_rows(self, run_id: str) -> Iterator[tuple[str, str, str]]:
        """(beneficiary_id, total, currency) for every non-zero total in the run; NotFound
        at once (before any row) for an unknown run."""
        self.get_run(run_id)
        rows = self.db.read("commissions/run_beneficiary_totals", id=run_id)
        return ((r["beneficiary_id"], format_minor(r["total_minor"], r["currency"]), r["currency"]) for r in rows)
