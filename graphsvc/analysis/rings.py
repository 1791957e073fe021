"""Rings of accounts that look like one person farming commissions.

Input is the member–identifier graph: an undirected ``networkx.Graph`` whose
member nodes are plain ids and whose identifier nodes are ``(kind, hash)``
tuples, one edge per use.  Noise is decided per kind of identifier: a weak
identifier (email, phone, IP, address) used by more than
``max_members_per_identifier`` members is what many people share innocently
(a NAT IP, an office, a building) and is ignored; a strong one (device,
card) is never noise — many accounts on one card is a *farm*, the strongest
signal there is.  Two members are linked when they share a strong
identifier, two or more identifiers of any kind, or one identifier while one
sponsored the other (so a chain of alt accounts, each sharing one weak
identifier with the account it recruited, is found although no pair gives
it away alone).  Connected groups of two or more linked members are
candidate rings — except small groups linked only through sponsorship, the
shape of a family recruiting at one address.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from itertools import combinations

import hashlib

import networkx as nx

from ..domain import STRONG_IDENTIFIER_KINDS

__all__ = ["DEFAULT_WEIGHTS", "link_members", "candidate_rings", "score_ring", "ring_id"]

DEFAULT_WEIGHTS = {"strong_shared": 0.35, "self_referral": 0.3, "join_window": 0.15, "commission_sink": 0.2,
                   "referral_chain": 0.3, "farm": 0.3}
# Sponsorship links in a row (members recruiting members) that make a chain.
CHAIN_LINKS = 3


def link_members(B: nx.Graph, *, referrals: nx.DiGraph | None = None,
                 max_members_per_identifier: int = 10) -> nx.Graph:
    """The member graph: an edge per linked pair, with ``shared`` listing the
    ``(kind, hash)`` identifiers the two have in common; ``graph["farms"]``
    maps each strong identifier used by more than ``max_members_per_identifier``
    members to their number (its members are linked in a star, not every pair).

    Examples
    --------
    >>> B = nx.Graph([("a", ("card", "c1")), ("b", ("card", "c1")),
    ...               ("c", ("address", "h")), ("d", ("address", "h"))])
    >>> sorted(link_members(B).edges())
    [('a', 'b')]
    >>> sorted(link_members(B, referrals=nx.DiGraph([("c", "d")])).edges())
    [('a', 'b'), ('c', 'd')]
    """
    shared: dict[tuple, list] = {}
    farms: dict[tuple, int] = {}
    for identifier in (n for n in B if isinstance(n, tuple)):
        members = sorted(B[identifier])
        if len(members) > max_members_per_identifier:
            if identifier[0] not in STRONG_IDENTIFIER_KINDS:
                continue  # noise
            farms[identifier] = len(members)
            pairs = ((members[0], m) for m in members[1:])
        else:
            pairs = combinations(members, 2)
        for pair in pairs:
            shared.setdefault(pair, []).append(identifier)
    sponsored = referrals if referrals is not None else nx.DiGraph()
    L = nx.Graph(farms=farms)
    for (a, b), identifiers in shared.items():
        if len(identifiers) >= 2 or any(kind in STRONG_IDENTIFIER_KINDS for kind, _ in identifiers):
            L.add_edge(a, b, shared=identifiers, via_sponsorship=False)
        elif sponsored.has_edge(a, b) or sponsored.has_edge(b, a):
            L.add_edge(a, b, shared=identifiers, via_sponsorship=True)
    return L


def candidate_rings(L: nx.Graph) -> list[list]:
    """Connected groups of two or more linked members, largest first; a group whose
    links all come from sponsorship needs more than CHAIN_LINKS members.

    Examples
    --------
    >>> candidate_rings(nx.Graph([("c", "d"), ("a", "b"), ("b", "e"), ("x", "x")]))
    [['a', 'b', 'e'], ['c', 'd']]
    >>> family = nx.Graph([("mum", "son"), ("mum", "daughter")])
    >>> nx.set_edge_attributes(family, True, "via_sponsorship")
    >>> candidate_rings(family)
    []
    """
    def kept(group: set) -> bool:
        return len(group) > CHAIN_LINKS or any(
            not via for _, _, via in L.subgraph(group).edges(data="via_sponsorship", default=False))

    rings = [sorted(c) for c in nx.connected_components(L) if len(c) >= 2 and kept(c)]
    return sorted(rings, key=lambda ring: (-len(ring), ring))


def score_ring(L: nx.Graph, ring: list, *, referrals: nx.DiGraph, joined_at: dict,
               commissions: dict | None = None, join_window: timedelta = timedelta(days=7),
               weights: dict | None = None) -> dict:
    """Score a ring in [0, 1] (the capped sum of its reasons' weights) with the reasons.

    - ``strong_shared``: a device or card is shared inside the ring;
    - ``self_referral``: ring members sponsored one another;
    - ``join_window``: everyone joined within ``join_window``;
    - ``commission_sink``: at least half of the commissions earned on the
      ring's sales went to one ring member (``commissions`` maps
      (seller, beneficiary) to an amount);
    - ``referral_chain``: CHAIN_LINKS or more sponsorships in a row inside the
      ring (or a sponsorship loop);
    - ``farm``: a strong identifier used by more accounts than noise allows.

    Examples
    --------
    >>> B = nx.Graph([(m, ("card", "c1")) for m in "abcde"])
    >>> L = link_members(B)
    >>> ring = candidate_rings(L)[0]
    >>> from datetime import datetime
    >>> r = score_ring(L, ring, referrals=nx.DiGraph([("a", "b"), ("b", "c")]),
    ...                joined_at={m: datetime(2024, 1, 1) for m in "abcde"})
    >>> r["score"], r["reasons"], r["size"], r["farm_size"]
    (0.8, ['strong_shared', 'self_referral', 'join_window'], 5, 0)
    """
    weights = weights or DEFAULT_WEIGHTS
    members = set(ring)
    identifiers = {i for a, b in L.subgraph(ring).edges() for i in L[a][b]["shared"]}
    kinds = Counter(kind for kind, _ in identifiers)
    inside = referrals.subgraph(members)
    internal_referrals = inside.number_of_edges()
    times = [joined_at[m] for m in ring if m in joined_at]
    earned = Counter()
    for (seller, beneficiary), amount in (commissions or {}).items():
        if seller in members:
            earned[beneficiary] += amount
    total_earned = sum(earned.values())
    top_share = max((v for b, v in earned.items() if b in members), default=0) / total_earned if total_earned else 0
    farm_size = max((L.graph.get("farms", {}).get(i, 0) for i in identifiers), default=0)
    reasons = {
        "strong_shared": any(kind in STRONG_IDENTIFIER_KINDS for kind in kinds),
        "self_referral": internal_referrals > 0,
        "join_window": len(times) == len(ring) and max(times) - min(times) <= join_window,
        "commission_sink": top_share >= 0.5,
        "referral_chain": not nx.is_directed_acyclic_graph(inside)
                          or nx.dag_longest_path_length(inside) >= CHAIN_LINKS,
        "farm": farm_size > 0,
    }
    return {
        "members": sorted(ring),
        "size": len(ring),
        "score": round(min(1.0, sum(weights[k] for k, hit in reasons.items() if hit)), 4),
        "reasons": [k for k, hit in reasons.items() if hit],
        "shared": [{"kind": k, "count": c} for k, c in sorted(kinds.items())],
        "internal_referrals": internal_referrals,
        "farm_size": farm_size,
    }


def ring_id(members: list[str]) -> str:
    """A ring's id, from its membership: the same members in a later run give the same
    id (so a review carries over), and one more or fewer gives another.

    >>> ring_id(["b", "a"]) == ring_id(["a", "b"]) != ring_id(["a", "b", "c"])
    True
    """
    return "ring-" + hashlib.sha256("\n".join(sorted(members)).encode()).hexdigest()[:16]
