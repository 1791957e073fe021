"""Sparse-matrix views of NetworkX graphs, for the steps where scipy's compiled
graph routines are many times faster than NetworkX's pure-Python ones."""

from __future__ import annotations

import networkx as nx
import numpy as np
from scipy.sparse import coo_array, csr_array
from scipy.sparse.csgraph import connected_components

__all__ = ["adjacency", "component_labels"]


def adjacency(G: nx.Graph) -> tuple[list, csr_array, np.ndarray, np.ndarray]:
    """The nodes of ``G`` in order, its adjacency matrix over them, and the
    edges' head and tail indices.

    Examples
    --------
    >>> nodes, A, heads, tails = adjacency(nx.DiGraph([("a", "b"), ("b", "c")]))
    >>> nodes, A.toarray().tolist(), heads.tolist(), tails.tolist()
    (['a', 'b', 'c'], [[0, 1, 0], [0, 0, 1], [0, 0, 0]], [0, 1], [1, 2])
    """
    nodes = list(G)
    index = {n: i for i, n in enumerate(nodes)}
    m = G.number_of_edges()
    flat = np.fromiter((index[n] for edge in G.edges() for n in edge), dtype=np.int64, count=2 * m)
    heads, tails = flat[0::2], flat[1::2]
    A = coo_array((np.ones(m, dtype=np.int8), (heads, tails)), shape=(len(nodes), len(nodes))).tocsr()
    return nodes, A, heads, tails


def component_labels(G: nx.Graph, *, strong: bool = False) -> tuple[list, np.ndarray, np.ndarray]:
    """The nodes of ``G``, the component label of each, and the edges' heads
    and tails (by node index).  Components are weak unless ``strong`` (for a
    directed graph).

    Examples
    --------
    >>> nodes, label, _, _ = component_labels(nx.Graph([(1, 2), (3, 4), (4, 5)]))
    >>> [int(label[nodes.index(n)] == label[0]) for n in nodes]
    [1, 1, 0, 0, 0]
    """
    nodes, A, heads, tails = adjacency(G)
    _, label = connected_components(A, directed=G.is_directed(), connection="strong" if strong else "weak")
    return nodes, label, heads, tails
