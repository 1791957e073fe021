"""Analysis runs: project once, compute with graphsvc.analysis, write results back.

A run is recorded as (:AnalysisRun) with status and progress; its results
are tagged with its id, and the API serves those of the newest complete run.
A run starts by removing, in the background, results no one serves any more
(those of runs before the newest complete one, except runs still in progress
elsewhere), so a failed run leaves the served results in place and the
removal overlaps the projection.  The API starts runs in a background thread
and answers at once; the CLI runs them in the foreground with a progress bar.  ``all`` is influence, rings and cycles;
a compliance run covers a period and reads it itself (no projection).
"""

from __future__ import annotations

import json
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Callable

from ..analysis import cycles, influence, rings
from ..compliance.service import ComplianceService
from ..db import Database
from ..errors import Invalid, NotFound
from ..gcpause import gc_paused
from ..periods import parse_period
from .projection import Projection, project

__all__ = ["KINDS", "AnalysisService"]

log = logging.getLogger(__name__)
# "all" is the network analyses; compliance is over a period and runs on its own.
KINDS = ("influence", "rings", "cycles", "compliance", "all")
BATCH = 10_000
MAX_CYCLES = 10_000
HIGH_RISK_SCORE = 0.6
# A run still queued or running after this long was cut off; runs take minutes.
UNFINISHED_RUN_HOURS = 6
# Per step: the kind of results it serves, and the query removing other runs' results.
RESULTS = {"_influence": ("influence", "analysis/delete_unserved_referrer_scores"),
           "_rings": ("rings", "analysis/delete_unserved_rings"),
           "_cycles": ("cycles", "analysis/delete_unserved_cycle_reports"),
           "_compliance": ("compliance", "analysis/delete_unserved_compliance")}


class AnalysisService:
    def __init__(self, db: Database, compliance: ComplianceService, max_members_per_identifier: int = 10):
        self.db = db
        self.compliance = compliance
        self.max_members_per_identifier = max_members_per_identifier

    # -- runs -----------------------------------------------------------------------
    def create_run(self, kind: str, start: str | None = None, end: str | None = None) -> dict:
        """Record a queued run; a compliance run needs its period, the others take none."""
        if kind not in KINDS:
            raise Invalid(f"unknown analysis kind {kind!r}", {"kind": [f"One of {', '.join(KINDS)}."]})
        if kind == "compliance":
            if start is None or end is None:
                raise Invalid("a compliance run needs a period", {"from": ["Give from and to."]})
            start, end = parse_period(start, end)
        elif start is not None or end is not None:
            raise Invalid(f"a {kind} run takes no period", {"from": ["Only compliance runs take a period."]})
        return self.db.write("analysis/create_run", kind=kind, **{"from": start, "to": end})[0]

    def start_in_background(self, kind: str, start: str | None = None, end: str | None = None) -> dict:
        run = self.create_run(kind, start, end)
        threading.Thread(target=self.execute, args=(run["id"], kind), daemon=True,
                         name=f"analysis-{run['id']}").start()
        return run

    def get_run(self, run_id: str) -> dict:
        rows = self.db.read("analysis/run", id=run_id)
        if not rows:
            raise NotFound(f"analysis run {run_id} does not exist")
        return rows[0]

    def _update(self, run_id: str, status: str, progress: float, error: str | None = None) -> None:
        self.db.write("analysis/update_run", id=run_id, status=status, progress=progress, error=error)

    def execute(self, run_id: str, kind: str, progress: Callable[[float, str], None] | None = None) -> dict:
        """Run every step of the kind; record failure instead of raising."""
        steps = {"influence": [self._influence], "rings": [self._rings], "cycles": [self._cycles],
                 "compliance": [self._compliance], "all": [self._influence, self._rings, self._cycles]}[kind]
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
                if kind != "compliance":  # it reads its period itself
                    advance(0, "projecting the network")
                    projection = project(self.db, identifiers=kind in ("rings", "all"))
                for done, step in enumerate(steps, start=1):
                    advance(done, step.__name__.strip("_"))
                    written.append(writer.submit(step(run_id, projection)))
                for result in written:
                    result.result()
            self._update(run_id, "complete", 1.0)
        except Exception as exc:  # recorded on the run; earlier results stay served
            log.exception("analysis run %s failed", run_id)
            self._update(run_id, "failed", 0.0, f"{type(exc).__name__}: {exc}"[:500])
        return self.get_run(run_id)

    def _delete_unserved(self, step: Callable, keep: list[str]) -> None:
        """Remove the step's results of every run but those kept and the one served now."""
        kind, query = RESULTS[step.__name__]
        keep = [*keep, self._latest(kind)]
        while self.db.write(query, keep=[k for k in keep if k])[0]["deleted"]:
            pass

    def _write(self, query: str, run_id: str, rows: list) -> None:
        for start in range(0, len(rows), BATCH):
            self.db.write(query, run_id=run_id, rows=rows[start : start + BATCH])

    # -- steps ------------------------------------------------------------------------
    def _influence(self, run_id: str, p: Projection) -> Callable[[], None]:
        components = influence.influence_components(p.referrals)
        scores = influence.influence_scores(components)
        tier_of = influence.tiers(scores)
        ranked = sorted(tier_of, key=lambda n: (-scores[n], p.ids[n]))
        rows = [{"member_id": p.ids[n], "rank": rank, "score": round(scores[n], 6), "tier": tier_of[n],
                 **components[n]} for rank, n in enumerate(ranked, start=1)]
        return lambda: self._write("analysis/write_referrer_scores", run_id, rows)

    def _rings(self, run_id: str, p: Projection) -> Callable[[], None]:
        linked = rings.link_members(p.identifiers, max_members_per_identifier=self.max_members_per_identifier)
        candidates = rings.candidate_rings(linked)
        sellers = sorted({p.ids[n] for ring in candidates for n in ring})
        flows = {}
        for start in range(0, len(sellers), BATCH):
            for row in self.db.read("analysis/commission_flows", sellers=sellers[start : start + BATCH]):
                flows[(p.index[row["seller"]], p.index.get(row["beneficiary"], -1))] = row["amount"]
        rows = []
        for ring in candidates:
            scored = rings.score_ring(linked, ring, referrals=p.referrals, joined_at=p.joined_at, commissions=flows)
            members = sorted(p.ids[n] for n in scored["members"])
            rows.append({"id": f"ring-{members[0]}", "members": members, "score": scored["score"],
                         "reasons": scored["reasons"], "shared": json.dumps(scored["shared"])})
        return lambda: self._write("analysis/write_rings", run_id, rows)

    def _cycles(self, run_id: str, p: Projection) -> Callable[[], None]:
        found = cycles.referral_cycles(p.referrals)
        multi = cycles.multiple_sponsors(p.referrals)
        report = {"run_id": run_id,
                  "cycles": json.dumps([[p.ids[n] for n in c] for c in found[:MAX_CYCLES]]),
                  "multi_sponsor": json.dumps([{"id": p.ids[m["id"]], "sponsors": [p.ids[s] for s in m["sponsors"]]}
                                               for m in multi[:MAX_CYCLES]]),
                  "truncated": len(found) > MAX_CYCLES or len(multi) > MAX_CYCLES}
        return lambda: self.db.write("analysis/write_cycle_report", **report)

    def _compliance(self, run_id: str, _: None) -> Callable[[], None]:
        run = self.db.read("analysis/run", id=run_id)[0]
        return self.compliance.store(run_id, run["from"], run["to"])

    # -- results ------------------------------------------------------------------------
    def _latest(self, kind: str) -> str | None:
        rows = self.db.read("analysis/latest_run", kinds=[kind] if kind == "compliance" else [kind, "all"])
        return rows[0]["id"] if rows else None

    def top_referrers(self, limit: int) -> dict:
        run_id = self._latest("influence")
        items = self.db.read("analysis/top_referrers", run_id=run_id, limit=limit) if run_id else []
        return {"run_id": run_id, "items": items}

    def rings(self, min_score: float | None, limit: int) -> dict:
        run_id = self._latest("rings")
        threshold = HIGH_RISK_SCORE if min_score is None else min_score
        items = self.db.read("analysis/rings", run_id=run_id, min_score=threshold, limit=limit) if run_id else []
        for item in items:
            item["shared"] = json.loads(item["shared"])
        return {"run_id": run_id, "items": items}

    def cycles(self) -> dict:
        run_id = self._latest("cycles")
        rows = self.db.read("analysis/cycle_report", run_id=run_id) if run_id else []
        if not rows:
            return {"run_id": run_id, "cycles": [], "multi_sponsor": [], "truncated": False}
        return {"run_id": run_id, "cycles": [{"members": c} for c in json.loads(rows[0]["cycles"])],
                "multi_sponsor": json.loads(rows[0]["multi_sponsor"]), "truncated": rows[0]["truncated"]}
