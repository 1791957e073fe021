"""Referral cycles and members with several sponsors in stored data.

The API refuses both, but other tools write to Neo4j too; these functions
report them and never repair anything.
"""

from __future__ import annotations

import networkx as nx

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
    # Only strongly connected parts can hold a cycle: skip the (acyclic) rest cheaply.
    for component in nx.strongly_connected_components(G):
        if len(component) > 1 or any(G.has_edge(n, n) for n in component):
            for cycle in nx.simple_cycles(G.subgraph(component)):
                start = cycle.index(min(cycle))
                found.append(cycle[start:] + cycle[:start])
    return sorted(found)


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
