"""The sponsor forest's derived properties, computed in one pass.

Every member stores, besides its own fields:

- ``depth``: its distance from its founder (0 for a founder);
- ``path``: the materialised path ``/founder/.../member/`` of ids, so the
  downline of ``m`` is every member whose path starts with ``m.path`` and the
  upline is the path read backwards;
- ``level_counts``: how many members sit 1, 2, ... ``MAX_LEVELS`` levels
  below it (trailing zeros dropped), so a downline summary is a list read,
  not a traversal;
- ``downline_total``: how many members sit below it at any depth.

Imports recompute them here for the whole forest; sponsor moves adjust them
incrementally (see :mod:`graphsvc.network.service`).

The toolkit underneath (:func:`parent_index`, :func:`depths`, :func:`levels`,
:func:`subtree_sums`) works on a forest given as a parent index array and is
what compliance and influence use for their branch figures too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Hashable, Iterable, Sequence

import numpy as np

from ..domain import MAX_LEVELS

__all__ = [
    "Derived",
    "ForestColumns",
    "parent_index",
    "depths",
    "levels",
    "subtree_sums",
    "derive",
    "derive_columns",
    "find_cycles",
]


@dataclass(frozen=True)
class Derived:
    """A member's derived properties: depth, path, per-level counts below and total below."""

    depth: int
    path: str
    level_counts: list[int]
    downline_total: int


def parent_index(ids: Sequence[Hashable], sponsors: Iterable[Hashable | None]) -> tuple[dict, np.ndarray]:
    """Each member's position (``ids[i]`` is at ``i``) and the position of its
    sponsor, ``sponsors[i]``: -1 for no sponsor or one that is not among ``ids``.

    >>> index, parent = parent_index(["a", "b", "c"], [None, "a", "x"])
    >>> index["c"], parent.tolist()
    (2, [-1, 0, -1])
    """
    index = {member: i for i, member in enumerate(ids)}
    parent = np.fromiter((index.get(s, -1) if s is not None else -1 for s in sponsors),
                         dtype=np.int64, count=len(ids))
    return index, parent


def depths(parent: np.ndarray) -> np.ndarray:
    """Depth of each node given its parent index (-1 for a root); -1 for nodes
    on or below a cycle.

    >>> depths(np.array([-1, 0, 1, 3])).tolist()
    [0, 1, 2, -1]
    """
    depth = np.full(parent.shape, -1, dtype=np.int64)
    depth[parent < 0] = 0
    while True:
        # Members whose sponsor's depth is known and whose own is not.
        todo = (depth < 0) & (parent >= 0)
        ready = todo.copy()
        ready[todo] = depth[parent[todo]] >= 0
        if not ready.any():
            return depth
        depth[ready] = depth[parent[ready]] + 1


def levels(depth: np.ndarray) -> list[np.ndarray]:
    """The nodes at depth 0, 1, 2, ... each in increasing order; nodes with
    depth -1 (on or below a cycle) are in none.

    >>> [level.tolist() for level in levels(np.array([0, 1, 1, -1, 2, 0]))]
    [[0, 5], [1, 2], [4]]
    """
    reachable = np.flatnonzero(depth >= 0)
    ordered = reachable[np.argsort(depth[reachable], kind="stable")]
    return np.split(ordered, np.cumsum(np.bincount(depth[reachable]))[:-1]) if len(reachable) else []


def subtree_sums(parent: np.ndarray, depth: np.ndarray, values: np.ndarray, *, decay: float = 1) -> np.ndarray:
    """Per node, the sum of ``values`` (one row per node) over its strict
    descendants, each weighted ``decay ** distance``: one bottom-up pass, level
    by level, never a traversal per node.  Nodes with depth -1 neither give nor
    receive.

    >>> parent = np.array([-1, 0, 1, 0])
    >>> subtree_sums(parent, depths(parent), np.ones(4, dtype=np.int64)).tolist()
    [3, 1, 0, 0]
    >>> subtree_sums(parent, depths(parent), np.array([0., 0., 8., 4.]), decay=0.5).tolist()
    [4.0, 4.0, 0.0, 0.0]
    """
    sums = np.zeros_like(values)
    for level in reversed(levels(depth)[1:]):
        np.add.at(sums, parent[level], decay * (values[level] + sums[level]))
    return sums


@dataclass(frozen=True)
class ForestColumns:
    """Derived properties as arrays over members ``0..n-1`` (see :func:`derive_columns`)."""

    depth: np.ndarray
    paths: list[str | None]
    level_counts: list[list[int]]
    downline_total: np.ndarray


def derive_columns(ids: list[str], parent: np.ndarray) -> ForestColumns:
    """Derived properties of members given by position: ``ids[i]`` and its
    sponsor's position ``parent[i]`` (-1 for a founder).  Members on or below
    a sponsor cycle get depth -1, no path and no counts.

    Examples
    --------
    >>> f = derive_columns(["a", "b", "c"], np.array([-1, 0, 1]))
    >>> f.depth.tolist(), f.paths, f.level_counts, f.downline_total.tolist()
    ([0, 1, 2], ['/a/', '/a/b/', '/a/b/c/'], [[1, 1], [1], []], [2, 1, 0])
    """
    depth = depths(parent)
    counts = np.zeros((len(ids), MAX_LEVELS + 1), dtype=np.int64)
    counts[depth >= 0, 0] = 1  # column 0 is the member itself
    below = counts[:, 1:]
    for nodes in reversed(levels(depth)[1:]):
        # A member's counts, one level further down, are its sponsor's.
        np.add.at(below, parent[nodes], counts[nodes, :-1])

    paths: list[str | None] = [None] * len(ids)
    for i in np.argsort(depth, kind="stable"):
        if depth[i] < 0:
            continue
        p = parent[i]
        paths[i] = (paths[p] if p >= 0 else "/") + ids[i] + "/"

    # Most members recruit nobody: trim each row to its last non-zero level.
    nonzero = below != 0
    lengths = np.where(nonzero.any(axis=1), MAX_LEVELS - np.argmax(nonzero[:, ::-1], axis=1), 0)
    level_counts = [[] for _ in ids]
    for i in np.flatnonzero(lengths):
        level_counts[i] = below[i, : lengths[i]].tolist()
    return ForestColumns(depth, paths, level_counts, subtree_sums(parent, depth, np.ones(len(ids), dtype=np.int64)))


def derive(sponsor_of: dict[str, str | None]) -> dict[str, Derived]:
    """Derived properties of every member reachable from a founder.

    ``sponsor_of`` maps each member id to its sponsor's id (``None`` for a
    founder).  Members on or below a sponsor cycle are left out.

    Examples
    --------
    >>> d = derive({"a": None, "b": "a", "c": "b", "d": "a"})
    >>> d["a"]
    Derived(depth=0, path='/a/', level_counts=[2, 1], downline_total=3)
    >>> d["c"].path, d["c"].level_counts
    ('/a/b/c/', [])
    """
    ids = list(sponsor_of)
    _, parent = parent_index(ids, sponsor_of.values())
    f = derive_columns(ids, parent)
    return {
        ids[i]: Derived(int(f.depth[i]), f.paths[i], f.level_counts[i], int(f.downline_total[i]))
        for i in np.flatnonzero(f.depth >= 0)
    }


def find_cycles(sponsor_of: dict[str, str | None]) -> list[list[str]]:
    """Every sponsor cycle, each listed member by member, each followed by its sponsor.

    Examples
    --------
    >>> find_cycles({"a": "c", "b": "a", "c": "b", "d": None, "e": "a"})
    [['a', 'c', 'b']]
    """
    ids = list(sponsor_of)
    _, parent = parent_index(ids, sponsor_of.values())
    state = np.where(depths(parent) >= 0, 2, 0)  # 0 unseen, 1 on the current walk, 2 done
    cycles = []
    for start in np.flatnonzero(state == 0):
        walk = []
        node = start
        while node >= 0 and state[node] == 0:
            state[node] = 1
            walk.append(node)
            node = parent[node]
        if node >= 0 and state[node] == 1:
            cycles.append([ids[n] for n in walk[walk.index(node):]])
        state[walk] = 2
    return cycles
