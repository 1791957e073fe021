"""Projects the network from Neo4j into NetworkX graphs, once per run.

Rows are streamed (one record at a time, never held as dicts) and members
become integer nodes; ``Projection.ids`` maps them back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

import networkx as nx

from ..db import Database, Tx

__all__ = ["Projection", "project"]


@dataclass
class Projection:
    ids: list[str] = field(default_factory=list)
    index: dict[str, int] = field(default_factory=dict)
    referrals: nx.DiGraph = field(default_factory=nx.DiGraph)
    joined_at: dict[int, datetime] = field(default_factory=dict)
    identifiers: nx.Graph | None = None


def _referral_graph(tx: Tx, projection: Projection) -> None:
    index = projection.index
    G = projection.referrals
    for member_id, active, joined in tx.stream("analysis/members"):
        node = index[member_id] = len(projection.ids)
        projection.ids.append(member_id)
        G.add_node(node, active=bool(active), volume=0)
        if joined is not None:
            projection.joined_at[node] = datetime.fromtimestamp(joined, timezone.utc)
    G.add_edges_from((index[s], index[r]) for s, r in tx.stream("analysis/referrals"))
    for member_id, volume in tx.stream("analysis/sales"):
        G.nodes[index[member_id]]["volume"] = volume


def _identifier_graph(tx: Tx, projection: Projection) -> None:
    index = projection.index
    projection.identifiers = nx.Graph()
    projection.identifiers.add_edges_from(
        (index[m], (kind, digest)) for m, kind, digest in tx.stream("analysis/identifier_uses")
    )


def project(db: Database, *, identifiers: bool) -> Projection:
    projection = Projection()
    db.read_tx(_referral_graph, projection)
    if identifiers:
        db.read_tx(_identifier_graph, projection)
    return projection
