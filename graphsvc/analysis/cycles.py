"""Referral cycles and members with several sponsors in stored data.

The API refuses both, but other tools write to Neo4j too; these functions
report them and never repair anything.  They take the referral edges as
arrays (``sponsor[i] -> recruit[i]`` over nodes 0..n-1, each pair once): the
parts that can hold a cycle are found by scipy's strongly connected components
on a sparse matrix (a million-member forest has a million trivial components,
too many for NetworkX's pure-Python search, docs/benchmarks.md), and only
those small parts become a NetworkX graph for its cycle enumeration.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
from scipy.sparse import coo_array
from scipy.sparse.csgraph import connected_components

__all__ = ["referral_cycles", "multiple_sponsors"]


def referral_cycles(sponsor: np.ndarray, recruit: np.ndarray, n: int) -> list[list[int]]:
    """Every cycle of sponsor -> recruit edges, each starting at its smallest
    member and following the edges, sorted.

    Examples
    --------
    >>> referral_cycles(np.array([0, 1, 2, 3, 4]), np.array([1, 2, 3, 0, 5]), 6)
    [[0, 1, 2, 3]]
    >>> referral_cycles(np.array([7]), np.array([7]), 8)
    [[7]]
    """
    A = coo_array((np.ones(len(sponsor), dtype=np.int8), (sponsor, recruit)), shape=(n, n)).tocsr()
    _, label = connected_components(A, directed=True, connection="strong")
    inside = (label[sponsor] == label[recruit]) & ((np.bincount(label)[label[sponsor]] > 1) | (sponsor == recruit))
    G = nx.DiGraph(zip(sponsor[inside].tolist(), recruit[inside].tolist()))
    found = []
    for cycle in nx.simple_cycles(G):
        start = cycle.index(min(cycle))
        found.append(cycle[start:] + cycle[:start])
    return sorted(found)


def multiple_sponsors(sponsor: np.ndarray, recruit: np.ndarray) -> list[dict]:
    """Members with more than one sponsor, with their sponsors sorted.

    Examples
    --------
    >>> multiple_sponsors(np.array([0, 1, 0]), np.array([2, 2, 3]))
    [{'id': 2, 'sponsors': [0, 1]}]
    """
    order = np.lexsort((sponsor, recruit))
    sponsor, recruit = sponsor[order], recruit[order]
    starts = np.flatnonzero(np.r_[True, recruit[1:] != recruit[:-1]]) if len(recruit) else np.zeros(0, dtype=np.int64)
    ends = np.r_[starts[1:], len(recruit)]
    return [{"id": int(recruit[a]), "sponsors": sponsor[a:b].tolist()} for a, b in zip(starts, ends) if b - a > 1]
