"""Referral cycles and members with several sponsors in stored data.

The API refuses both, but other tools write to Neo4j too; these functions
report them and never repair anything.
"""

from __future__ import annotations

import networkx as nx
import numpy as np

from .sparse import component_labels

__all__ = ["referral_cycles", "multiple_sponsors"]


def referral_cycles(G: nx.DiGraph) -> list[list]:
    """Every cycle of sponsor -> recruit edges, each starting at its smallest
    member and following the edges, sorted.

    Examples
    --------
    >>> G = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "d"), ("d", "a"), ("x", "y")])
    >>> referral_cycles(G)
    [['a', 'b', 'c', 'd']]
    """
    found = []
    for component in _cyclic_parts(G):
        for cycle in nx.simple_cycles(G.subgraph(component)):
            start = cycle.index(min(cycle))
            found.append(cycle[start:] + cycle[:start])
    return sorted(found)


def _cyclic_parts(G: nx.DiGraph) -> list[list]:
    """Node sets that can hold a cycle: strongly connected components of two or
    more nodes, and nodes with a self-loop.  Found by scipy on a sparse matrix:
    a million-member forest has a million trivial components, too many for
    NetworkX's pure-Python search (docs/benchmarks.md)."""
    nodes, label, heads, tails = component_labels(G, strong=True)
    sizes = np.bincount(label)
    cyclic = (sizes[label] > 1) | np.isin(np.arange(len(nodes)), heads[heads == tails])
    parts: dict[int, list] = {}
    for i in np.flatnonzero(cyclic):
        parts.setdefault(int(label[i]), []).append(nodes[i])
    return list(parts.values())


def multiple_sponsors(G: nx.DiGraph) -> list[dict]:
    """Members with more than one incoming referral edge.

    Examples
    --------
    >>> multiple_sponsors(nx.DiGraph([("a", "c"), ("b", "c"), ("a", "d")]))
    [{'id': 'c', 'sponsors': ['a', 'b']}]
    """
    return [
        {"id": n, "sponsors": sorted(G.predecessors(n))}
        for n in sorted(n for n, degree in G.in_degree() if degree > 1)
    ]
