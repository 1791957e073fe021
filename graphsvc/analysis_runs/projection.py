"""Projects the network from Neo4j into arrays, once per run.

Each query returns one record of columns (a list per field decodes many times
faster than a list per row, and no million-node graph object is built: the
analyses take arrays).  The network's queries share one read transaction and name
members by internal node id, which is stable within it; members become dense
nodes 0..n-1 in internal id order and ``Projection.ids`` maps them back to member
ids.  Only identifiers shared by two or more members are projected: the others
can link no one.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

import numpy as np

from ..analysis.rings import IdentifierUses
from ..db import Database, Tx, named_rows
from ..gcpause import gc_paused

__all__ = ["NO_TIME", "Projection", "project"]

NO_TIME = np.iinfo(np.int64).min  # a join time the store lacks


class _SharedIdentifier(NamedTuple):
    kind: str
    hash: str
    members: list[int]


@dataclass
class Projection:
    """The network over dense nodes 0..n-1: ``ids[node]`` is the member id
    (``index`` the reverse), ``active`` and ``joined`` (epoch seconds, NO_TIME when
    unknown) per node, the referral edges as stored (duplicates dropped) as
    ``sponsor[i] -> recruit[i]``, each node's paid sales in minor units as
    ``sales[node, j]`` for ``currencies[j]``; ``identifiers`` (when asked for) the
    uses of identifiers shared by two or more members."""

    ids: list[str]
    active: np.ndarray
    joined: np.ndarray
    sponsor: np.ndarray
    recruit: np.ndarray
    sales: np.ndarray
    currencies: tuple[str, ...]
    identifiers: IdentifierUses | None = None

    @cached_property
    def index(self) -> dict[str, int]:
        """Member id -> node."""
        return {member: node for node, member in enumerate(self.ids)}


def _nodes(internal: np.ndarray, of: list[int]) -> np.ndarray:
    """The dense nodes of internal node ids (``internal`` sorted; every id among them)."""
    return np.searchsorted(internal, np.asarray(of, dtype=np.int64))


def _network(tx: Tx, identifiers: bool) -> dict:
    members = tx.record("analysis/members", no_time=int(NO_TIME))
    internal = np.asarray(members["internal"], dtype=np.int64)
    order = np.argsort(internal)
    internal = internal[order]
    referrals = tx.record("analysis/referrals")
    edges = np.unique(np.stack([_nodes(internal, referrals["sponsor"]), _nodes(internal, referrals["recruit"])]),
                      axis=1)  # one edge per pair, in (sponsor, recruit) order
    network = {"ids": np.asarray(members["id"], dtype=object)[order].tolist(),
               "active": np.asarray(members["active"], dtype=bool)[order],
               "joined": np.asarray(members["joined"], dtype=np.int64)[order],
               "sponsor": edges[0], "recruit": edges[1]}
    if identifiers:
        shared = named_rows("analysis/shared_identifiers", tx.record("analysis/shared_identifiers"), _SharedIdentifier)
        counts = np.fromiter((len(s.members) for s in shared), dtype=np.int64, count=len(shared))
        network["identifiers"] = IdentifierUses(
            member=_nodes(internal, [m for s in shared for m in s.members]),
            identifier=np.repeat(np.arange(len(shared), dtype=np.int64), counts),
            kinds=np.array([s.kind for s in shared], dtype=object), members=len(internal))
    return network


def _sales(projection: Projection, record: dict) -> None:
    """Each member's sales per currency into the projection (a member who joined after
    the network was read is left out)."""
    currencies = tuple(sorted(set(record["currency"])))
    code = {c: j for j, c in enumerate(currencies)}
    currency = np.fromiter((code[c] for c in record["currency"]), dtype=np.int64, count=len(record["currency"]))
    node = np.fromiter((projection.index.get(m, -1) for m in record["member_id"]), dtype=np.int64,
                       count=len(record["member_id"]))
    known = node >= 0
    projection.sales = np.zeros((len(projection.ids), len(currencies)), dtype=np.int64)
    np.add.at(projection.sales, (node[known], currency[known]), np.asarray(record["volume"], dtype=np.int64)[known])
    projection.currencies = currencies


def project(db: Database, *, identifiers: bool) -> Projection:
    """Read the network (and, with ``identifiers``, the shared identifiers) into a Projection."""
    with gc_paused():
        # Summing the sales scans every order; it runs in its own transaction on the
        # server's other core while this process decodes the network.
        with ThreadPoolExecutor(max_workers=1) as pool:
            sales = pool.submit(db.read_tx, lambda tx: tx.record("analysis/sales"))
            projection = Projection(**db.read_tx(_network, identifiers), sales=np.zeros((0, 0), dtype=np.int64),
                                    currencies=())
            _sales(projection, sales.result())
    return projection
