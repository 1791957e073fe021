"""Projects the network from Neo4j into NetworkX graphs, once per run.

Each query returns its rows as one list in one record (fast to decode).  The
queries share one read transaction and name members by internal node id, which
is stable within it; members become dense integer nodes and ``Projection.ids``
maps them back to member ids.  Only identifiers shared by two or more members
are projected: the others can link no one.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone

import networkx as nx

from ..db import Database, Tx
from ..gcpause import gc_paused

__all__ = ["Projection", "project"]


@dataclass
class Projection:
    ids: list[str] = field(default_factory=list)
    index: dict[str, int] = field(default_factory=dict)
    referrals: nx.DiGraph = field(default_factory=nx.DiGraph)
    joined_at: dict[int, datetime] = field(default_factory=dict)
    identifiers: nx.Graph | None = None


def _project(tx: Tx, projection: Projection, identifiers: bool) -> None:
    node_of: dict[int, int] = {}  # internal node id -> projected node
    G = projection.referrals
    for internal, member_id, active, joined in tx.rows("analysis/members"):
        node = node_of[internal] = projection.index[member_id] = len(projection.ids)
        projection.ids.append(member_id)
        G.add_node(node, active=bool(active), volume=0)
        if joined is not None:
            projection.joined_at[node] = datetime.fromtimestamp(joined, timezone.utc)
    G.add_edges_from((node_of[s], node_of[r]) for s, r in tx.rows("analysis/referrals"))
    if identifiers:
        projection.identifiers = nx.Graph()
        projection.identifiers.add_edges_from(
            (node_of[m], (kind, digest))
            for kind, digest, members in tx.rows("analysis/shared_identifiers")
            for m in members
        )


def project(db: Database, *, identifiers: bool) -> Projection:
    projection = Projection()
    with gc_paused():
        # Summing the sales scans every order; it runs in its own transaction on the
        # server's other core while this process decodes the network.
        with ThreadPoolExecutor(max_workers=1) as pool:
            sales = pool.submit(db.read_tx, lambda tx: tx.rows("analysis/sales"))
            db.read_tx(_project, projection, identifiers)
            for member_id, volume in sales.result():
                node = projection.index.get(member_id)
                if node is not None:  # None: a member who joined after the network was read
                    projection.referrals.nodes[node]["volume"] = volume
    return projection
