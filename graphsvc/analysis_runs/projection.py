"""Projects the network from Neo4j into NetworkX graphs (and the identifier uses
into arrays), once per run.

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
from typing import NamedTuple

import networkx as nx
import numpy as np

from ..analysis.rings import IdentifierUses
from ..db import Database, Tx
from ..gcpause import gc_paused

__all__ = ["Projection", "project"]


class _Member(NamedTuple):
    internal: int  # the node id inside this transaction
    id: str
    active: bool
    joined: int | None  # epoch seconds


class _Referral(NamedTuple):
    sponsor: int
    recruit: int


class _SharedIdentifier(NamedTuple):
    kind: str
    hash: str
    members: list[int]


class _Sales(NamedTuple):
    member_id: str
    currency: str
    volume: int  # minor units


@dataclass
class Projection:
    """The network as a NetworkX graph over dense integer nodes: ``ids[node]`` is
    the member id, ``index`` the reverse; ``referrals`` has node attributes
    ``active`` and ``sales`` (minor units per currency); ``identifiers`` (when asked for) holds the uses of
    identifiers shared by two or more members, as arrays over the same nodes."""

    ids: list[str] = field(default_factory=list)
    index: dict[str, int] = field(default_factory=dict)
    referrals: nx.DiGraph = field(default_factory=nx.DiGraph)
    joined_at: dict[int, datetime] = field(default_factory=dict)
    identifiers: IdentifierUses | None = None

    def sponsorships(self) -> tuple[np.ndarray, np.ndarray]:
        """The referral edges as (sponsor, recruit) node arrays."""
        edges = self.referrals.number_of_edges()
        flat = np.fromiter((n for edge in self.referrals.edges() for n in edge), dtype=np.int64, count=2 * edges)
        return flat[0::2], flat[1::2]


def _project(tx: Tx, projection: Projection, identifiers: bool) -> None:
    node_of: dict[int, int] = {}  # internal node id -> projected node
    G = projection.referrals
    for member in tx.table("analysis/members", _Member):
        node = node_of[member.internal] = projection.index[member.id] = len(projection.ids)
        projection.ids.append(member.id)
        G.add_node(node, active=bool(member.active))
        if member.joined is not None:
            projection.joined_at[node] = datetime.fromtimestamp(member.joined, timezone.utc)
    G.add_edges_from((node_of[r.sponsor], node_of[r.recruit]) for r in tx.table("analysis/referrals", _Referral))
    if identifiers:
        shared = tx.table("analysis/shared_identifiers", _SharedIdentifier)
        counts = np.fromiter((len(s.members) for s in shared), dtype=np.int64, count=len(shared))
        member = np.fromiter((node_of[m] for s in shared for m in s.members), dtype=np.int64, count=int(counts.sum()))
        projection.identifiers = IdentifierUses(
            member=member, identifier=np.repeat(np.arange(len(shared), dtype=np.int64), counts),
            kinds=np.array([s.kind for s in shared], dtype=object), members=len(projection.ids))


def project(db: Database, *, identifiers: bool) -> Projection:
    """Read the network (and, with ``identifiers``, the shared identifiers) into a Projection."""
    projection = Projection()
    with gc_paused():
        # Summing the sales scans every order; it runs in its own transaction on the
        # server's other core while this process decodes the network.
        with ThreadPoolExecutor(max_workers=1) as pool:
            sales = pool.submit(db.read_tx, lambda tx: tx.table("analysis/sales", _Sales))
            db.read_tx(_project, projection, identifiers)
            for row in sales.result():
                node = projection.index.get(row.member_id)
                if node is not None:  # None: a member who joined after the network was read
                    projection.referrals.nodes[node].setdefault("sales", {})[row.currency] = row.volume
    return projection
