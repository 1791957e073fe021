"""Every kind of analysis run, in one registry.

A step computes one kind of result and returns its write-back; its
``cleanup`` query removes the results of runs no one serves any more.  A run
kind is one or more steps (``all`` is the three network analyses).  The run
service, the API's schema and the command line all read :data:`KINDS`, so a
new analysis is one :class:`Step` and one entry here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Callable

import networkx as nx
import numpy as np

from ..analysis import cycles, influence, rings
from ..db import Database
from .projection import NO_TIME, Projection

if TYPE_CHECKING:  # the period steps call them; the services are built elsewhere
    from ..compliance.service import ComplianceService
    from ..kpis.service import KpiService

__all__ = ["Step", "StepInput", "STEPS", "KINDS", "COMPLIANCE", "KPIS", "serving_kinds", "latest_run"]

BATCH = 10_000
RANKS_PER_NODE = 1000  # referrer scores stored per node, a list per field
BLOCKS_PER_WRITE = 20
MAX_CYCLES = 10_000
WriteBack = Callable[[], None]


@dataclass(frozen=True)
class StepInput:
    """What a step reads: the run, the network projection (None for a step that
    reads its own data) and the services it may call."""

    db: Database
    run: dict
    projection: Projection | None
    compliance: "ComplianceService"
    kpis: "KpiService"
    max_members_per_identifier: int


@dataclass(frozen=True)
class Step:
    """One analysis: its results' kind, how it computes them and how older ones go."""

    name: str
    compute: Callable[[StepInput], WriteBack]
    cleanup: str  # query removing results of runs other than those kept
    projection: bool = True  # needs the network projected from the store
    identifiers: bool = False  # needs the member-identifier graph in the projection
    period: bool = False  # runs over a period [from, to)


def _write(db: Database, query: str, run_id: str, rows: list, batch: int = BATCH) -> None:
    for start in range(0, len(rows), batch):
        db.write(query, run_id=run_id, rows=rows[start : start + batch])


def _influence(step: StepInput) -> WriteBack:
    p = step.projection
    c = influence.influence_components(p.sponsor, p.recruit, p.active, p.sales)
    scores = influence.influence_scores(c)
    ranked = influence.tiers(scores, p.ids)
    nodes = np.array([n for n, _ in ranked], dtype=np.int64)
    inputs = {k: v[nodes].tolist() for k, v in c.score_inputs.items()}
    sales = c.downline_sales[nodes]
    columns = {
        "member_ids": [p.ids[n] for n in nodes], "scores": np.round(scores[nodes], 6).tolist(),
        "tiers": [tier for _, tier in ranked], "direct_recruits": c.direct_recruits[nodes].tolist(),
        "downline_total": c.downline_total[nodes].tolist(), "active_downline": c.active_downline[nodes].tolist(),
        "pagerank": c.pagerank[nodes].tolist(), "retention": c.retention[nodes].tolist(),
        "downline_sales": [json.dumps({cur: int(v) for cur, v in zip(p.currencies, row) if v}) for row in sales],
        "score_inputs": [json.dumps({k: v[i] for k, v in inputs.items()}) for i in range(len(nodes))]}
    blocks = [{"first_rank": start + 1, **{k: v[start : start + RANKS_PER_NODE] for k, v in columns.items()}}
              for start in range(0, len(nodes), RANKS_PER_NODE)]
    return lambda: _write(step.db, "analysis/write_referrer_scores", step.run["id"], blocks, batch=BLOCKS_PER_WRITE)


def _rings(step: StepInput) -> WriteBack:
    p = step.projection
    linked = rings.link_members(p.identifiers, sponsorships=(p.sponsor, p.recruit),
                                max_members_per_identifier=step.max_members_per_identifier)
    candidates = rings.candidate_rings(linked)
    in_ring = np.zeros(len(p.ids), dtype=bool)
    in_ring[[n for ring in candidates for n in ring]] = True
    # The sponsorships between candidates, and their join times: all that scoring reads of the network.
    inside = in_ring[p.sponsor] & in_ring[p.recruit]
    referrals = nx.DiGraph(zip(p.sponsor[inside].tolist(), p.recruit[inside].tolist()))
    joined_at = {n: datetime.fromtimestamp(int(p.joined[n]), timezone.utc)
                 for n in np.flatnonzero(in_ring & (p.joined != NO_TIME)).tolist()}
    sellers = sorted(p.ids[n] for n in np.flatnonzero(in_ring))
    flows = {}
    for start in range(0, len(sellers), BATCH):
        for row in step.db.read("analysis/commission_flows", sellers=sellers[start : start + BATCH]):
            flows[(p.index[row["seller"]], p.index.get(row["beneficiary"], -1))] = row["amount"]
    # Rings the served results did not have are new (all are, on a first run).
    served = latest_run(step.db, RINGS)
    known = set(step.db.read("analysis/ring_ids", run_id=served)[0]["ids"]) if served else set()
    rows = []
    for ring in candidates:
        scored = rings.score_ring(linked, ring, referrals=referrals, joined_at=joined_at, commissions=flows)
        members = sorted(p.ids[n] for n in scored["members"])
        ring_id = rings.ring_id(members)
        rows.append({"id": ring_id, "members": members, "score": scored["score"], "reasons": scored["reasons"],
                     "shared": json.dumps(scored["shared"]), "size": scored["size"],
                     "farm_size": scored["farm_size"], "internal_referrals": scored["internal_referrals"],
                     "new": ring_id not in known})
    return lambda: _write(step.db, "analysis/write_rings", step.run["id"], rows)


def _cycles(step: StepInput) -> WriteBack:
    p = step.projection
    found = cycles.referral_cycles(p.sponsor, p.recruit, len(p.ids))
    multi = cycles.multiple_sponsors(p.sponsor, p.recruit)
    report = {"run_id": step.run["id"],
              "cycles": json.dumps([[p.ids[n] for n in c] for c in found[:MAX_CYCLES]]),
              "multi_sponsor": json.dumps([{"id": p.ids[m["id"]], "sponsors": [p.ids[s] for s in m["sponsors"]]}
                                           for m in multi[:MAX_CYCLES]]),
              "truncated": len(found) > MAX_CYCLES or len(multi) > MAX_CYCLES}
    return lambda: step.db.write("analysis/write_cycle_report", **report)


def _compliance(step: StepInput) -> WriteBack:
    return step.compliance.store(step.run["id"], step.run["from"], step.run["to"])


def _kpis(step: StepInput) -> WriteBack:
    return step.kpis.store(step.run["id"], step.run["from"], step.run["to"])


INFLUENCE = Step("influence", _influence, "analysis/delete_unserved_referrer_scores")
RINGS = Step("rings", _rings, "analysis/delete_unserved_rings", identifiers=True)
CYCLES = Step("cycles", _cycles, "analysis/delete_unserved_cycle_reports")
COMPLIANCE = Step("compliance", _compliance, "analysis/delete_unserved_compliance", projection=False, period=True)
KPIS = Step("kpis", _kpis, "analysis/delete_unserved_kpis", projection=False, period=True)
STEPS = {step.name: step for step in (INFLUENCE, RINGS, CYCLES, COMPLIANCE, KPIS)}

# Run kind -> its steps, in the order they run.  Compliance and KPIs run alone:
# each is over a period and reads that period itself.
KINDS: dict[str, tuple[Step, ...]] = {**{name: (step,) for name, step in STEPS.items()},
                                      "all": (INFLUENCE, RINGS, CYCLES)}


def serving_kinds(step: Step) -> list[str]:
    """The run kinds whose complete runs hold this step's results.

    >>> serving_kinds(RINGS), serving_kinds(COMPLIANCE)
    (['rings', 'all'], ['compliance'])
    """
    return [kind for kind, steps in KINDS.items() if step in steps]


def latest_run(db: Database, step: Step) -> str | None:
    """The id of the newest complete run holding this step's results, if any."""
    rows = db.read("analysis/latest_run", kinds=serving_kinds(step))
    return rows[0]["id"] if rows else None
