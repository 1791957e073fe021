"""Influence of referrers: who builds lasting, selling downlines.

Pure functions over arrays: members are nodes 0..n-1, the referral edges are
``sponsor[i] -> recruit[i]``, ``active`` is a bool per node and ``sales[node, j]``
a node's own paid sales in integer minor units of currency ``j``.  A million
members are a million array entries, not a graph object built in Python first
(docs/benchmarks.md).  Subtree sums use the forest's structure: one bottom-up
pass over all members, never a traversal per member; PageRank is NetworkX's
iteration on the forest's arrays.

Stored data may give a member several sponsors (other tools write to Neo4j;
the cycles analysis reports them).  Every figure here then counts the member
under one sponsor only, the lowest-numbered: the subtree sums and PageRank see
the same tree.
"""

from __future__ import annotations

import math
from typing import NamedTuple, Sequence

import networkx as nx
import numpy as np

from ..network.forest import depths, subtree_sums

__all__ = ["DEFAULT_WEIGHTS", "DEFAULT_TIERS", "Components", "sponsor_tree", "forest_pagerank",
           "influence_components", "influence_scores", "tiers"]

DEFAULT_WEIGHTS = {
    "downline_total": 0.15,
    "active_downline": 0.25,
    "downline_volume": 0.3,
    "pagerank": 0.2,
    "retention": 0.1,
}
# Top 1% platinum, the next 4% gold, the next 10% silver.
DEFAULT_TIERS = (("platinum", 0.01), ("gold", 0.04), ("silver", 0.10))


class Components(NamedTuple):
    """Influence per node, arrays over 0..n-1: counts and money as they are
    (``downline_sales[node, j]`` in minor units of currency ``j``), and what the
    score weighs, ``score_inputs`` (see :func:`influence_components`)."""

    direct_recruits: np.ndarray
    downline_total: np.ndarray
    active_downline: np.ndarray
    downline_sales: np.ndarray
    pagerank: np.ndarray
    retention: np.ndarray
    score_inputs: dict[str, np.ndarray]


def sponsor_tree(sponsor: np.ndarray, recruit: np.ndarray, n: int) -> np.ndarray:
    """Each node's sponsor (-1 for none): of several, the lowest-numbered.

    >>> sponsor_tree(np.array([2, 0, 1]), np.array([1, 1, 3]), 4).tolist()
    [-1, 0, -1, 1]
    """
    parent = np.full(n, n, dtype=np.int64)
    np.minimum.at(parent, recruit, sponsor)
    parent[parent == n] = -1
    return parent


def forest_pagerank(parent: np.ndarray, personal: np.ndarray, *, alpha: float = 0.85, tol: float = 1.0e-6,
                    max_iter: int = 100) -> np.ndarray:
    """PageRank of the graph with an edge from each node to its parent, personalised by
    ``personal``: ``networkx.pagerank``'s iteration (dangling nodes spread their rank
    by the personalisation; it stops once the total change is below ``n * tol``), on
    arrays, since every node has at most one edge out.

    >>> x = forest_pagerank(np.array([-1, 0, 0]), np.ones(3))
    >>> x.round(3).tolist(), bool(abs(x.sum() - 1) < 1e-9)
    ([0.574, 0.213, 0.213], True)
    """
    n = len(parent)
    if not n:
        return np.zeros(0)
    p = personal / personal.sum()
    has = parent >= 0
    below, above = np.flatnonzero(has), parent[has]
    dangling = ~has
    x = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        last = x
        x = alpha * (np.bincount(above, weights=last[below], minlength=n) + last[dangling].sum() * p) + (1 - alpha) * p
        if np.abs(x - last).sum() < n * tol:
            return x
    raise nx.PowerIterationFailedConvergence(max_iter)


def _comparable(sales: np.ndarray) -> np.ndarray:
    """Each member's sales in one unit across currencies, without exchange rates: each
    currency scaled so that its programme total counts as much as the largest one's
    (with one currency, the minor units themselves)."""
    totals = sales.sum(axis=0).astype(float)
    if not len(totals):
        return np.zeros(len(sales))
    scale = np.divide(totals.max(), totals, out=np.zeros_like(totals), where=totals > 0)
    return sales @ scale


def influence_components(sponsor: np.ndarray, recruit: np.ndarray, active: np.ndarray, sales: np.ndarray, *,
                         decay: float = 0.5, alpha: float = 0.85) -> Components:
    """Per member, counts and money as they are: ``direct_recruits``,
    ``downline_total``, ``active_downline`` (members below, and how many of them
    are active), ``downline_sales`` (paid sales below per currency), ``pagerank``
    (credit flowing up the referral edges, personalised by each member's own
    sales) and ``retention`` (share of direct recruits still active); and
    ``score_inputs``, what the score weighs: the downline total, active members
    and sales below with each level down worth ``decay`` times the one above
    (sales in the unit of :func:`_comparable`), PageRank and retention.

    Members on a sponsor cycle (bad data) get no subtree sums from it.

    Examples
    --------
    >>> # a -> b, a -> c, b -> d as nodes 0 -> 1, 0 -> 2, 1 -> 3; c inactive; b sells 100, d 400.
    >>> c = influence_components(np.array([0, 0, 1]), np.array([1, 2, 3]), np.array([True, True, False, True]),
    ...                          np.array([[0], [100], [0], [400]]), decay=0.5)
    >>> int(c.downline_total[0]), int(c.active_downline[0]), c.downline_sales[0].tolist()
    (3, 2, [500])
    >>> float(c.score_inputs["active_downline"][0]), float(c.score_inputs["downline_volume"][0])
    (0.75, 150.0)
    >>> float(c.retention[0]), float(c.retention[1])
    (0.5, 1.0)
    """
    n = len(active)
    parent = sponsor_tree(sponsor, recruit, n)
    depth = depths(parent)
    active = active.astype(np.int64)
    volume = _comparable(sales)
    has_parent = parent >= 0
    direct = np.bincount(parent[has_parent], minlength=n)
    direct_active = np.bincount(parent[has_parent], weights=active[has_parent], minlength=n)
    retention = np.divide(direct_active, direct, out=np.zeros(n), where=direct > 0)
    total = subtree_sums(parent, depth, np.ones(n, dtype=np.int64))
    # Credit flows from recruit to sponsor; a member's own sales seed it.
    pagerank = forest_pagerank(parent, 1.0 + volume, alpha=alpha)
    return Components(
        direct_recruits=direct, downline_total=total, active_downline=subtree_sums(parent, depth, active),
        downline_sales=subtree_sums(parent, depth, sales), pagerank=pagerank, retention=retention,
        score_inputs={"downline_total": total,
                      "active_downline": subtree_sums(parent, depth, active.astype(float), decay=decay),
                      "downline_volume": subtree_sums(parent, depth, volume, decay=decay),
                      "pagerank": pagerank, "retention": retention})


def influence_scores(components: Components, *, weights: dict | None = None) -> np.ndarray:
    """A score in [0, 1] per member: the weighted sum of each of its ``score_inputs``
    divided by the largest value of that input.  Retention counts in proportion to ``min(1,
    direct_recruits / 5)``, so one active recruit is not a perfect record.

    Examples
    --------
    >>> zero = np.zeros(2)
    >>> c = Components(np.array([5, 0]), zero, zero, zero, zero, zero,
    ...                {"downline_total": np.array([4, 0]), "active_downline": np.array([2.0, 0.0]),
    ...                 "downline_volume": np.array([10.0, 0.0]), "pagerank": np.array([0.5, 0.5]),
    ...                 "retention": np.array([1.0, 0.0])})
    >>> influence_scores(c).round(3).tolist()
    [1.0, 0.2]
    """
    weights = weights or DEFAULT_WEIGHTS
    n = len(components.direct_recruits)
    value = np.zeros(n)
    for k, w in weights.items():
        inputs = components.score_inputs[k]
        part = inputs / ((inputs.max() if n else 0) or 1)
        if k == "retention":
            part = part * np.minimum(1.0, components.direct_recruits / 5)
        value += w * part
    return value / sum(weights.values())


def tiers(scores: np.ndarray, ids: Sequence[str], *, bands=DEFAULT_TIERS) -> list[tuple[int, str]]:
    """The tiered nodes best first (by score, ties by id) with their tier; the
    others are left out.  Only the members that can reach a tier are sorted.

    Examples
    --------
    >>> t = tiers(np.arange(200.0), [f"m{i:03d}" for i in range(200)])
    >>> t[1], t[2], t[9], t[10], len(t)
    ((198, 'platinum'), (197, 'gold'), (190, 'gold'), (189, 'silver'), 30)
    """
    n = len(scores)
    ends, end = [], 0
    for name, share in bands:
        end = min(n, end + math.ceil(share * n))
        ends.append((end, name))
    if not end:
        return []
    # Every node scoring at least the last tiered place's score, ties included.
    candidates = np.flatnonzero(scores >= np.partition(scores, n - end)[n - end])
    ranked = sorted(candidates.tolist(), key=lambda node: (-scores[node], ids[node]))[:end]
    result, start = [], 0
    for stop, name in ends:
        result += [(node, name) for node in ranked[start:stop]]
        start = stop
    return result
