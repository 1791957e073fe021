"""Rings of accounts that look like one person farming commissions.

Input is the member–identifier graph: an undirected ``networkx.Graph`` whose
member nodes are plain ids and whose identifier nodes are ``(kind, hash)``
tuples, one edge per use.  An identifier used by more than
``max_members_per_identifier`` members is noise (a NAT IP, an office) and is
ignored.  Two members are linked when they share a strong identifier
(device, card) or at least two identifiers of any kind; connected groups of
two or more linked members are candidate rings.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from itertools import combinations

import networkx as nx

from ..domain import STRONG_IDENTIFIER_KINDS

__all__ = ["DEFAULT_WEIGHTS", "link_members", "candidate_rings", "score_ring"]

DEFAULT_WEIGHTS = {"strong_shared": 0.35, "self_referral": 0.3, "join_window": 0.15, "commission_sink": 0.2}


def link_members(B: nx.Graph, *, max_members_per_identifier: int = 10) -> nx.Graph:
    """The member graph: an edge per linked pair, with ``shared`` listing the
    ``(kind, hash)`` identifiers the two have in common.

    Examples
    --------
    >>> B = nx.Graph([("a", ("card", "c1")), ("b", ("card", "c1")),
    ...               ("c", ("address", "h")), ("d", ("address", "h"))])
    >>> sorted(link_members(B).edges())
    [('a', 'b')]
    """
    shared: dict[tuple, list] = {}
    for identifier in (n for n in B if isinstance(n, tuple)):
        members = sorted(B[identifier])
        if len(members) > max_members_per_identifier:
            continue
        for pair in combinations(members, 2):
            shared.setdefault(pair, []).append(identifier)
    L = nx.Graph()
    for (a, b), identifiers in shared.items():
        if len(identifiers) >= 2 or any(kind in STRONG_IDENTIFIER_KINDS for kind, _ in identifiers):
            L.add_edge(a, b, shared=identifiers)
    return L


def candidate_rings(L: nx.Graph) -> list[list]:
    """Connected groups of two or more linked members, largest first.

    Examples
    --------
    >>> candidate_rings(nx.Graph([("c", "d"), ("a", "b"), ("b", "e"), ("x", "x")]))
    [['a', 'b', 'e'], ['c', 'd']]
    """
    rings = [sorted(c) for c in nx.connected_components(L) if len(c) >= 2]
    return sorted(rings, key=lambda ring: (-len(ring), ring))


def score_ring(L: nx.Graph, ring: list, *, referrals: nx.DiGraph, joined_at: dict,
               commissions: dict | None = None, join_window: timedelta = timedelta(days=7),
               weights: dict | None = None) -> dict:
    """Score a ring in [0, 1] with the reasons behind it.

    - ``strong_shared``: a device or card is shared inside the ring;
    - ``self_referral``: ring members sponsored one another;
    - ``join_window``: everyone joined within ``join_window``;
    - ``commission_sink``: at least half of the commissions earned on the
      ring's sales went to one ring member (``commissions`` maps
      (seller, beneficiary) to an amount).

    Examples
    --------
    >>> B = nx.Graph([(m, ("card", "c1")) for m in "abcde"])
    >>> L = link_members(B)
    >>> ring = candidate_rings(L)[0]
    >>> from datetime import datetime
    >>> r = score_ring(L, ring, referrals=nx.DiGraph([("a", "b"), ("b", "c")]),
    ...                joined_at={m: datetime(2024, 1, 1) for m in "abcde"})
    >>> r["score"], r["reasons"]
    (0.8, ['strong_shared', 'self_referral', 'join_window'])
    """
    weights = weights or DEFAULT_WEIGHTS
    members = set(ring)
    identifiers = {i for a, b in L.subgraph(ring).edges() for i in L[a][b]["shared"]}
    kinds = Counter(kind for kind, _ in identifiers)
    internal_referrals = sum(1 for s, r in referrals.subgraph(ring).edges() if s in members and r in members)
    times = [joined_at[m] for m in ring if m in joined_at]
    earned = Counter()
    for (seller, beneficiary), amount in (commissions or {}).items():
        if seller in members:
            earned[beneficiary] += amount
    total_earned = sum(earned.values())
    top_share = max((v for b, v in earned.items() if b in members), default=0) / total_earned if total_earned else 0
    reasons = {
        "strong_shared": any(kind in STRONG_IDENTIFIER_KINDS for kind in kinds),
        "self_referral": internal_referrals > 0,
        "join_window": len(times) == len(ring) and max(times) - min(times) <= join_window,
        "commission_sink": top_share >= 0.5,
    }
    return {
        "members": sorted(ring),
        "score": round(sum(weights[k] for k, hit in reasons.items() if hit), 4),
        "reasons": [k for k, hit in reasons.items() if hit],
        "shared": [{"kind": k, "count": c} for k, c in sorted(kinds.items())],
        "internal_referrals": internal_referrals,
    }
