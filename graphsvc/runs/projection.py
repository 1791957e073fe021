"""Projects the network from Neo4j into NetworkX graphs, once per run.

Each query returns its rows as one list in one record (fast to decode), and
members become integer nodes; ``Projection.ids`` maps them back.  Only identifiers
shared by two or more members are projected: the others can link no one.
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
    for member_id, active, joined in tx.rows("analysis/members"):
        node = index[member_id] = len(projection.ids)
        projection.ids.append(member_id)
        G.add_node(node, active=bool(active), volume=0)
        if joined is not None:
            projection.joined_at[node] = datetime.fromtimestamp(joined, timezone.utc)
    G.add_edges_from((index[s], index[r]) for s, r in tx.rows("analysis/referrals"))
    for member_id, volume in tx.rows("analysis/sales"):
        G.nodes[index[member_id]]["volume"] = volume


def _identifier_graph(tx: Tx, projection: Projection) -> None:
    index = projection.index
    projection.identifiers = nx.Graph()
    projection.identifiers.add_edges_from(
        (index[m], (kind, digest))
        for kind, digest, members in tx.rows("analysis/shared_identifiers")
        for m in members
    )


def project(db: Database, *, identifiers: bool) -> Projection:
    projection = Projection()
    db.read_tx(_referral_graph, projection)
    if identifiers:
        db.read_tx(_identifier_graph, projection)
    return projection
