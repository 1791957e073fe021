"""Influence of referrers: who builds lasting, selling downlines.

Pure functions over a referral graph ``G`` (a ``networkx.DiGraph`` with an
edge sponsor -> recruit, node attributes ``active`` (bool) and ``sales`` (paid
sales in integer minor units per currency, for the members who sold)).  Subtree sums use the forest's
structure: one bottom-up pass over all members, never a traversal per member.

Stored data may give a member several sponsors (other tools write to Neo4j;
the cycles analysis reports them).  Every figure here then counts the member
under one sponsor only, the first of them in ``G``'s node order: the subtree
sums and PageRank see the same tree.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np

from ..network.forest import depths, subtree_sums

__all__ = ["DEFAULT_WEIGHTS", "DEFAULT_TIERS", "influence_components", "influence_scores", "tiers"]

DEFAULT_WEIGHTS = {
    "downline_total": 0.15,
    "active_downline": 0.25,
    "downline_volume": 0.3,
    "pagerank": 0.2,
    "retention": 0.1,
}
# Top 1% platinum, the next 4% gold, the next 10% silver.
DEFAULT_TIERS = (("platinum", 0.01), ("gold", 0.04), ("silver", 0.10))


def _sponsor_tree(G: nx.DiGraph) -> tuple[list, np.ndarray, nx.DiGraph]:
    """Nodes, each one's sponsor position (-1 for none) and the graph of the
    kept edges: of several sponsors, the one first in node order."""
    nodes = list(G)
    index = {n: i for i, n in enumerate(nodes)}
    edges = np.array([(index[s], index[r]) for s, r in G.edges()], dtype=np.int64).reshape(-1, 2)
    parent = np.full(len(nodes), len(nodes), dtype=np.int64)
    np.minimum.at(parent, edges[:, 1], edges[:, 0])
    parent[parent == len(nodes)] = -1
    extra = edges[parent[edges[:, 1]] != edges[:, 0]]
    tree = nx.restricted_view(G, [], [(nodes[s], nodes[r]) for s, r in extra]) if len(extra) else G
    return nodes, parent, tree


def _comparable(sales: np.ndarray) -> np.ndarray:
    """Each member's sales in one unit across currencies, without exchange rates: each
    currency scaled so that its programme total counts as much as the largest one's
    (with one currency, the minor units themselves)."""
    totals = sales.sum(axis=0).astype(float)
    if not len(totals):
        return np.zeros(len(sales))
    scale = np.divide(totals.max(), totals, out=np.zeros_like(totals), where=totals > 0)
    return sales @ scale


def influence_components(G: nx.DiGraph, *, decay: float = 0.5, alpha: float = 0.85) -> dict:
    """Per member, counts and money as they are: ``direct_recruits``,
    ``downline_total``, ``active_downline`` (members below, and how many of them
    are active), ``downline_sales`` (paid sales below, minor units per currency,
    currencies with none left out), ``pagerank`` (credit flowing up the referral
    edges, personalised by each member's own sales) and ``retention`` (share of
    direct recruits still active); and ``score_inputs``, what the score weighs:
    the downline total, active members and sales below with each level down worth
    ``decay`` times the one above (sales in the unit of :func:`_comparable`),
    PageRank and retention.

    Members on a sponsor cycle (bad data) get no subtree sums from it.

    Examples
    --------
    >>> G = nx.DiGraph([("a", "b"), ("a", "c"), ("b", "d")])
    >>> nx.set_node_attributes(G, {"a": True, "b": True, "c": False, "d": True}, "active")
    >>> nx.set_node_attributes(G, {"b": {"USD": 100}, "d": {"USD": 400}}, "sales")
    >>> c = influence_components(G, decay=0.5)
    >>> c["a"]["downline_total"], c["a"]["active_downline"], c["a"]["downline_sales"]
    (3, 2, {'USD': 500})
    >>> c["a"]["score_inputs"]["active_downline"], c["a"]["score_inputs"]["downline_volume"]
    (0.75, 150.0)
    >>> c["a"]["retention"], c["b"]["retention"]
    (0.5, 1.0)
    """
    nodes, parent, tree = _sponsor_tree(G)
    depth = depths(parent)
    n = len(nodes)
    active = np.array([bool(G.nodes[v].get("active")) for v in nodes], dtype=np.int64)
    currencies = sorted({c for v in nodes for c in G.nodes[v].get("sales", {})})
    sales = np.zeros((n, len(currencies)), dtype=np.int64)
    for i, v in enumerate(nodes):
        for c, amount in G.nodes[v].get("sales", {}).items():
            sales[i, currencies.index(c)] = amount
    volume = _comparable(sales)
    total = subtree_sums(parent, depth, np.ones(n, dtype=np.int64))
    active_count = subtree_sums(parent, depth, active)
    sales_below = subtree_sums(parent, depth, sales)
    active_below = subtree_sums(parent, depth, active.astype(float), decay=decay)
    volume_below = subtree_sums(parent, depth, volume, decay=decay)
    direct = np.zeros(n, dtype=np.int64)
    direct_active = np.zeros(n)
    has_parent = parent >= 0
    np.add.at(direct, parent[has_parent], 1)
    np.add.at(direct_active, parent[has_parent], active[has_parent])

    # Credit flows from recruit to sponsor; a member's own sales seed it.
    personal = {v: 1.0 + volume[i] for i, v in enumerate(nodes)}
    pagerank = nx.pagerank(tree.reverse(copy=False), alpha=alpha, personalization=personal) if n else {}
    result = {}
    for i, v in enumerate(nodes):
        retention = float(direct_active[i] / direct[i]) if direct[i] else 0.0
        result[v] = {
            "direct_recruits": int(direct[i]),
            "downline_total": int(total[i]),
            "active_downline": int(active_count[i]),
            "downline_sales": {c: int(sales_below[i, j]) for j, c in enumerate(currencies) if sales_below[i, j]},
            "pagerank": float(pagerank[v]),
            "retention": retention,
            "score_inputs": {"downline_total": int(total[i]), "active_downline": float(active_below[i]),
                             "downline_volume": float(volume_below[i]), "pagerank": float(pagerank[v]),
                             "retention": retention},
        }
    return result


def influence_scores(components: dict, *, weights: dict | None = None) -> dict:
    """A score in [0, 1] per member: the weighted sum of each of its ``score_inputs``
    divided by the largest value of that input.  Retention counts in proportion to ``min(1,
    direct_recruits / 5)``, so one active recruit is not a perfect record.

    Examples
    --------
    >>> comps = {"a": {"score_inputs": {"downline_total": 4, "active_downline": 2.0, "downline_volume": 10.0,
    ...                                 "pagerank": 0.5, "retention": 1.0}, "direct_recruits": 5},
    ...          "b": {"score_inputs": {"downline_total": 0, "active_downline": 0.0, "downline_volume": 0.0,
    ...                                 "pagerank": 0.5, "retention": 0.0}, "direct_recruits": 0}}
    >>> s = influence_scores(comps)
    >>> round(s["a"], 3), round(s["b"], 3)
    (1.0, 0.2)
    """
    weights = weights or DEFAULT_WEIGHTS
    peaks = {k: max((c["score_inputs"][k] for c in components.values()), default=0) or 1 for k in weights}
    scores = {}
    for member, c in components.items():
        value = 0.0
        for k, w in weights.items():
            part = c["score_inputs"][k] / peaks[k]
            if k == "retention":
                part *= min(1.0, c["direct_recruits"] / 5)
            value += w * part
        scores[member] = value / sum(weights.values())
    return scores


def tiers(scores: dict, *, bands=DEFAULT_TIERS) -> dict:
    """Tier of each member by rank of score (ties broken by id); untiered are absent.

    Examples
    --------
    >>> t = tiers({f"m{i:03d}": i for i in range(200)})
    >>> t["m199"], t["m197"], t["m190"], t["m189"], "m169" in t
    ('platinum', 'gold', 'gold', 'silver', False)
    """
    ranked = sorted(scores, key=lambda m: (-scores[m], m))
    result, start = {}, 0
    for name, share in bands:
        end = start + math.ceil(share * len(ranked))
        for member in ranked[start:end]:
            result[member] = name
        start = end
    return result
