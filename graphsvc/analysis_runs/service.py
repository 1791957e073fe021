"""Analysis runs: project once, compute with graphsvc.analysis, write results back.

A run is recorded as (:AnalysisRun) with status and progress; its results
are tagged with its id, and the API serves those of the newest complete run.
A run starts by removing, in the background, results no one serves any more
(those of runs before the newest complete one, except runs still in progress
elsewhere), so a failed run leaves the served results in place and the
removal overlaps the projection.  The API starts runs in a background thread
and answers at once; the CLI runs them in the foreground with a progress bar.
What each kind computes is in :mod:`.kinds`.
"""

from __future__ import annotations

import json
import logging
import threading
from functools import partial
from concurrent.futures import ThreadPoolExecutor
from typing import Callable

from ..compliance.service import ComplianceService
from ..kpis.service import KpiService
from ..db import Database
from ..errors import Conflict, Invalid, NotFound
from ..gcpause import gc_paused
from ..money import format_minor
from ..paging import newest_first
from ..periods import parse_instant, parse_period
from .kinds import CYCLES, INFLUENCE, KINDS, KPIS, RINGS, Step, StepInput, latest_run
from .projection import project

__all__ = ["AnalysisService"]

log = logging.getLogger(__name__)
HIGH_RISK_SCORE = 0.6
# A run still queued or running after this long was cut off; runs take minutes.
UNFINISHED_RUN_HOURS = 6


def _period_of(run: dict) -> tuple:
    """A run's period as UTC datetimes (None for a kind without one)."""
    return tuple(None if run[k] is None else parse_instant(run[k], k) for k in ("from", "to"))


class AnalysisService:
    """Starts, executes and reports analysis runs, and serves their latest results."""

    def __init__(self, db: Database, compliance: ComplianceService, kpis: KpiService,
                 max_members_per_identifier: int = 10):
        self.db = db
        self.compliance = compliance
        self.kpis = kpis
        self.max_members_per_identifier = max_members_per_identifier

    # -- runs -----------------------------------------------------------------------
    def create_run(self, kind: str, start: str | None = None, end: str | None = None) -> dict:
        """Record a queued run of ``kind`` and return it (id, kind, status, ``created``
        true); a kind over a period needs ``start`` and ``end``, the others take none.

        One run of a kind at a time: while one is queued or running, asking again
        returns that run (``created`` false), and asking for another period is
        Conflict naming it."""
        if kind not in KINDS:
            raise Invalid(f"unknown analysis kind {kind!r}", {"kind": [f"One of {', '.join(KINDS)}."]})
        if any(step.period for step in KINDS[kind]):
            if start is None or end is None:
                raise Invalid(f"a {kind} run needs a period", {"from": ["Give from and to."]})
            start, end = parse_period(start, end)
        elif start is not None or end is not None:
            raise Invalid(f"a {kind} run takes no period", {"from": ["Only compliance and kpis runs take a period."]})
        run = self.db.write("analysis/create_run", kind=kind, hours=UNFINISHED_RUN_HOURS,
                            **{"from": start, "to": end})[0]
        if not run["created"] and _period_of(run) != (start, end):
            raise Conflict(f"analysis run {run['id']} of kind {kind} is still {run['status']} for "
                           f"{run['from']} to {run['to']}; wait for it to finish",
                           {"kind": [f"Run {run['id']} is {run['status']}."]})
        return run

    def start_in_background(self, kind: str, start: str | None = None, end: str | None = None) -> dict:
        """Create a run and execute it on a daemon thread; returns the queued run, or
        the run of the kind already under way (see :meth:`create_run`)."""
        run = self.create_run(kind, start, end)
        if run["created"]:
            threading.Thread(target=self.execute, args=(run["id"],), daemon=True,
                             name=f"analysis-{run['id']}").start()
        return run

    def get_run(self, run_id: str) -> dict:
        """A run's record (with ``summary``, what it found, once complete); NotFound when there is none."""
        rows = self.db.read("analysis/run", id=run_id)
        if not rows:
            raise NotFound(f"analysis run {run_id} does not exist")
        run = rows[0]
        run["summary"] = json.loads(run["summary"]) if run["summary"] else None
        return run

    def runs_page(self, limit: int, cursor: str | None, kind: str | None = None, status: str | None = None) -> dict:
        """Runs newest first (of one kind, in one status), ``limit`` after ``cursor``, and the
        next page's cursor."""
        page = newest_first(partial(self.db.read, kind=kind, status=status), "analysis/runs_page", limit, cursor)
        return {**page, "items": [self.get_run(row["id"]) for row in page["items"]]}

    def _update(self, run_id: str, status: str, progress: float, error: str | None = None) -> None:
        self.db.write("analysis/update_run", id=run_id, status=status, progress=progress, error=error)

    def execute(self, run_id: str, progress: Callable[[float, str], None] | None = None) -> dict:
        """Run every step of the run's kind, reporting ``progress(fraction, what)``;
        a failure is recorded on the run instead of raised.  Returns the run record."""
        run = self.get_run(run_id)
        steps = KINDS[run["kind"]]
        total = len(steps) + 1

        def advance(done: int, what: str) -> None:
            self._update(run_id, "running", done / total)
            if progress:
                progress(done / total, what)

        try:
            # One writer thread does the removals and each step's write-back, so Neo4j
            # stores while this thread projects and computes.
            with gc_paused(), ThreadPoolExecutor(max_workers=1) as writer:
                # Runs in progress elsewhere (another API worker, a CLI run) write results too.
                keep = [run_id] + [r["id"] for r in self.db.read("analysis/unfinished_runs",
                                                                 hours=UNFINISHED_RUN_HOURS)]
                written = [writer.submit(self._delete_unserved, step, keep) for step in steps]
                projection = None
                if any(step.projection for step in steps):
                    advance(0, "projecting the network")
                    projection = project(self.db, identifiers=any(step.identifiers for step in steps))
                context = StepInput(self.db, run, projection, self.compliance, self.kpis,
                                    self.max_members_per_identifier)
                for done, step in enumerate(steps, start=1):
                    advance(done, step.name)
                    written.append(writer.submit(step.compute(context)))
                for result in written:
                    result.result()
            self.db.write("analysis/set_run_summary", id=run_id, summary=json.dumps(self._findings(run_id, steps)))
            self._update(run_id, "complete", 1.0)
        except Exception as exc:  # recorded on the run; earlier results stay served
            log.exception("analysis run %s failed", run_id)
            self._update(run_id, "failed", 0.0, f"{type(exc).__name__}: {exc}"[:500])
        return self.get_run(run_id)

    def _findings(self, run_id: str, steps: tuple[Step, ...]) -> dict:
        """Counts of what the run's steps stored."""
        found = self.db.read("analysis/run_findings", id=run_id, high_risk=HIGH_RISK_SCORE)[0]
        summary: dict = {}
        if INFLUENCE in steps:
            summary["tiers"] = dict(found["tiers"])
            summary["referrers_scored"] = sum(summary["tiers"].values())
        if RINGS in steps:
            summary |= {k: found[k] for k in ("rings", "high_risk_rings", "new_rings", "largest_farm")}
        if KPIS in steps:
            summary |= self.kpis.run_summary(run_id)
        if CYCLES in steps:
            summary["cycles"] = len(json.loads(found["cycles"] or "[]"))
            summary["multiple_sponsors"] = len(json.loads(found["multi_sponsor"] or "[]"))
        return summary

    def _delete_unserved(self, step: Step, keep: list[str]) -> None:
        """Remove the step's results of every run but those kept and the one served now."""
        keep = [*keep, self._latest(step)]
        while self.db.write(step.cleanup, keep=[k for k in keep if k])[0]["deleted"]:
            pass

    # -- results ------------------------------------------------------------------------
    def _latest(self, step: Step) -> str | None:
        return latest_run(self.db, step)

    def top_referrers(self, limit: int) -> dict:
        """The best-scored referrers of the newest influence results."""
        run_id = self._latest(INFLUENCE)
        items = self.db.read("analysis/top_referrers", run_id=run_id, limit=limit) if run_id else []
        for item in items:
            c = item["components"]
            sales = json.loads(c["downline_sales"])
            if sales is None:
                # Stored by an older release (a decayed active count, sales over mixed currencies):
                # unknown, not zero, until the next influence run.
                c["active_downline"] = c["downline_sales"] = None
            else:
                c["downline_sales"] = {currency: format_minor(amount, currency) for currency, amount in sales.items()}
            c["score_inputs"] = json.loads(c["score_inputs"])
        return {"run_id": run_id, "items": items}

    def rings(self, min_score: float | None, limit: int) -> dict:
        """Rings of the newest rings results scoring at least ``min_score``
        (the high-risk threshold when None)."""
        run_id = self._latest(RINGS)
        threshold = HIGH_RISK_SCORE if min_score is None else min_score
        items = self.db.read("analysis/rings", run_id=run_id, min_score=threshold, limit=limit) if run_id else []
        for item in items:
            item["shared"] = json.loads(item["shared"])
        return {"run_id": run_id, "items": items}

    def ring(self, ring_id: str) -> dict:
        """One ring of the newest rings results, with its members, the sponsorships and
        commissions inside it, and its review; NotFound when those results lack it."""
        run_id = self._latest(RINGS)
        rows = self.db.read("analysis/ring", run_id=run_id, id=ring_id) if run_id else []
        if not rows:
            raise NotFound(f"ring {ring_id} is not in the newest rings results")
        ring = rows[0]
        ring["shared"] = json.loads(ring["shared"])
        ring["commissions"] = [{"currency": c["currency"], "total": format_minor(c["amount_minor"], c["currency"])}
                               for c in ring["commissions"]]
        return {"run_id": run_id, **ring}

    def review_ring(self, ring_id: str, status: str, note: str) -> dict:
        """Record a reviewer's verdict on a ring of the newest results (it holds while the
        ring's membership, hence its id, stays the same); the ring with its review."""
        self.ring(ring_id)
        self.db.write("analysis/review_ring", id=ring_id, status=status, note=note)
        return self.ring(ring_id)

    def cycles(self) -> dict:
        """The newest cycle report: referral cycles and members with several sponsors."""
        run_id = self._latest(CYCLES)
        rows = self.db.read("analysis/cycle_report", run_id=run_id) if run_id else []
        if not rows:
            return {"run_id": run_id, "cycles": [], "multi_sponsor": [], "truncated": False}
        return {"run_id": run_id, "cycles": [{"members": c} for c in json.loads(rows[0]["cycles"])],
                "multi_sponsor": json.loads(rows[0]["multi_sponsor"]), "truncated": rows[0]["truncated"]}
