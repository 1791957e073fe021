"""Rings of accounts that look like one person farming commissions.

Input is the member–identifier links as arrays (:class:`IdentifierUses`): a
graph library would only be a container here, and building one costs far more
than the sparse products and scipy's connected components that do the work
(docs/benchmarks.md).  Members are nodes 0..n-1.  Noise is decided per kind
of identifier: a weak
identifier (email, phone, IP, address) used by more than
``max_members_per_identifier`` members is what many people share innocently
(a NAT IP, an office, a building) and is ignored; a strong one (device,
card) is never noise — many accounts on one card is a *farm*, the strongest
signal there is.  Two members are linked when they share a strong
identifier, two or more identifiers of any kind, or one identifier while one
sponsored the other (so a chain of alt accounts, each sharing one weak
identifier with the account it recruited, is found although no pair gives
it away alone).  Connected groups of two or more linked members are
candidate rings — except groups linked only through sponsorship that hold no
chain of CHAIN_LINKS sponsorships in a row (a family recruiting at one
address is a star, not a chain).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from typing import Iterable

import networkx as nx
import numpy as np
from scipy.sparse import coo_array, csr_array, triu
from scipy.sparse.csgraph import connected_components

from ..domain import STRONG_IDENTIFIER_KINDS

__all__ = ["DEFAULT_WEIGHTS", "IdentifierUses", "Links", "link_members", "candidate_rings", "score_ring", "ring_id"]

DEFAULT_WEIGHTS = {"strong_shared": 0.35, "self_referral": 0.3, "join_window": 0.15, "commission_sink": 0.2,
                   "referral_chain": 0.3, "farm": 0.3}
# Sponsorship links in a row (members recruiting members) that make a chain.
CHAIN_LINKS = 3


@dataclass(frozen=True)
class IdentifierUses:
    """Which member uses which identifier: use ``i`` is member ``member[i]`` (a node in
    0..members-1) using identifier ``identifier[i]``, whose kind is
    ``kinds[identifier[i]]``."""

    member: np.ndarray
    identifier: np.ndarray
    kinds: np.ndarray
    members: int

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[int, tuple[str, str]]], members: int) -> "IdentifierUses":
        """From (member node, (kind, value)) pairs.

        >>> uses = IdentifierUses.from_pairs([(0, ("card", "c1")), (1, ("card", "c1")), (1, ("ip", "x"))], 2)
        >>> uses.member.tolist(), uses.identifier.tolist(), uses.kinds[1]
        ([0, 1, 1], [0, 0, 1], 'ip')
        """
        index: dict[tuple, int] = {}
        member, identifier = [], []
        for node, key in pairs:
            member.append(node)
            identifier.append(index.setdefault(key, len(index)))
        kinds = np.array([kind for kind, _ in index], dtype=object)
        return cls(np.array(member, dtype=np.int64), np.array(identifier, dtype=np.int64), kinds, members)

    def matrix(self) -> csr_array:
        """Members x identifiers, 1 where a member uses the identifier."""
        shape = (self.members, len(self.kinds))
        ones = np.ones(len(self.member), dtype=np.int32)
        M = coo_array((ones, (self.member, self.identifier)), shape=shape).tocsr()
        M.data[:] = 1  # a use listed twice is one use
        return M


@dataclass(frozen=True)
class Links:
    """The member graph of :func:`link_members`: an edge ``(a[i], b[i])`` per linked
    pair, ``via_sponsorship[i]`` when only a sponsorship links them (then ``a[i]``
    sponsored ``b[i]``); with the uses
    matrix, each identifier's member count, which identifiers are noise and which
    are farms (a strong identifier used by more members than noise allows)."""

    a: np.ndarray
    b: np.ndarray
    via_sponsorship: np.ndarray
    uses: csr_array
    size: np.ndarray
    noise: np.ndarray
    farm: np.ndarray
    kinds: np.ndarray


def link_members(uses: IdentifierUses, *, sponsorships: tuple[np.ndarray, np.ndarray] | None = None,
                 max_members_per_identifier: int = 10) -> Links:
    """Link members as the module describes.  ``sponsorships`` are (sponsor, recruit)
    node arrays.  A farm's members are linked in a star, not every pair.

    Examples
    --------
    >>> uses = IdentifierUses.from_pairs([(0, ("card", "c1")), (1, ("card", "c1")),
    ...                                   (2, ("address", "h")), (3, ("address", "h"))], 4)
    >>> links = link_members(uses)
    >>> list(zip(links.a.tolist(), links.b.tolist()))
    [(0, 1)]
    >>> links = link_members(uses, sponsorships=(np.array([2]), np.array([3])))
    >>> list(zip(links.a.tolist(), links.b.tolist(), links.via_sponsorship.tolist()))
    [(0, 1, False), (2, 3, True)]
    """
    M = uses.matrix()
    # Pairs are counted over the members that use a shared identifier, numbered 0..m-1 in
    # member order (a sponsorship between others links no one): not over every member.
    used, compact = np.unique(uses.member, return_inverse=True)
    m = len(used)
    C = IdentifierUses(compact.astype(np.int64), uses.identifier, uses.kinds, m).matrix()
    size = np.asarray(C.sum(axis=0)).ravel()
    strong = np.isin(uses.kinds, list(STRONG_IDENTIFIER_KINDS))
    crowded = size > max_members_per_identifier
    noise, farm = crowded & ~strong, crowded & strong
    counted = C[:, np.flatnonzero(~crowded)]
    # Per pair of members: identifiers shared (of those not crowded), and strong ones among them.
    shared = triu(counted @ counted.T, k=1).tocsr()
    strong_cols = counted[:, np.flatnonzero(strong[~crowded])]
    strong_shared = triu(strong_cols @ strong_cols.T, k=1).tocsr()
    identity = ((shared >= 2) + (strong_shared > 0)).tocsr()
    heads, tails = sponsorships if sponsorships is not None else (np.empty(0, np.int64), np.empty(0, np.int64))
    position = np.full(uses.members, -1, dtype=np.int64)
    position[used] = np.arange(m)
    head, tail = position[heads], position[tails]
    inside = (head >= 0) & (tail >= 0)
    R = coo_array((np.ones(int(inside.sum()), dtype=np.int32), (head[inside], tail[inside])), shape=(m, m)).tocsr()
    by_sponsorship = (shared == 1).multiply((R + R.T) > 0).tocsr()
    by_sponsorship = (by_sponsorship.astype(np.int8) - by_sponsorship.multiply(identity).astype(np.int8)) > 0
    a1, b1 = identity.tocoo().coords
    a2, b2 = by_sponsorship.tocoo().coords
    if len(a2):  # sponsor first
        backwards = R[a2, b2] == 0
        a2, b2 = np.where(backwards, b2, a2), np.where(backwards, a2, b2)
    # A farm's members: each linked to the first of them.
    farm_uses = C[:, np.flatnonzero(farm)].T.tocsr()
    star = [(row[0], row[1:]) for row in np.split(farm_uses.indices, farm_uses.indptr[1:-1]) if len(row)]
    a3 = np.concatenate([np.full(len(rest), first) for first, rest in star]) if star else np.empty(0, np.int64)
    b3 = np.concatenate([rest for _, rest in star]) if star else np.empty(0, np.int64)
    a = used[np.concatenate([a1, a2, a3]).astype(np.int64)]
    b = used[np.concatenate([b1, b2, b3]).astype(np.int64)]
    via = np.concatenate([np.zeros(len(a1), bool), np.ones(len(a2), bool), np.zeros(len(a3), bool)])
    order = np.lexsort((b, a))
    return Links(a[order], b[order], via[order], M, size, noise, farm, uses.kinds)


def candidate_rings(links: Links) -> list[list[int]]:
    """Connected groups of two or more linked members, largest first; a group whose
    links all come from sponsorship needs CHAIN_LINKS of them in a row.

    Examples
    --------
    >>> uses = IdentifierUses.from_pairs([(m, ("card", "c")) for m in (0, 1, 4)] +
    ...                                  [(m, ("device", "d")) for m in (2, 3)], 6)
    >>> candidate_rings(link_members(uses))
    [[0, 1, 4], [2, 3]]
    >>> family = IdentifierUses.from_pairs([(m, ("address", "h")) for m in range(5)], 5)
    >>> candidate_rings(link_members(family, sponsorships=(np.zeros(4, int), np.arange(1, 5))))
    []
    >>> chain = IdentifierUses.from_pairs([(m + k, ("ip", f"i{m}")) for m in range(4) for k in (0, 1)], 5)
    >>> candidate_rings(link_members(chain, sponsorships=(np.arange(4), np.arange(1, 5))))
    [[0, 1, 2, 3, 4]]
    """
    if not len(links.a):
        return []
    # Components over the linked members only (numbered 0..m-1), not over every member.
    members, ends = np.unique(np.concatenate([links.a, links.b]), return_inverse=True)
    a, b = ends[: len(links.a)], ends[len(links.a):]
    A = coo_array((np.ones(len(a), dtype=np.int8), (a, b)), shape=(len(members), len(members))).tocsr()
    groups_count, label = connected_components(A, directed=False)
    kept = np.zeros(groups_count, bool)
    kept[label[a[~links.via_sponsorship]]] = True
    # The sponsorships in a row ending at each member, counted up to CHAIN_LINKS (a loop
    # reaches it too): a group linked only through sponsorship is kept when one reaches it.
    run = np.zeros(len(members), dtype=np.int64)
    sponsor, recruit = a[links.via_sponsorship], b[links.via_sponsorship]
    for _ in range(CHAIN_LINKS):
        longer = run.copy()
        np.maximum.at(longer, recruit, run[sponsor] + 1)
        run = longer
    kept[label[run >= CHAIN_LINKS]] = True
    groups: dict[int, list[int]] = {}
    for group, member in zip(label[kept[label]].tolist(), members[kept[label]].tolist()):
        groups.setdefault(group, []).append(member)
    return sorted(groups.values(), key=lambda ring: (-len(ring), ring[0]))  # rings are disjoint


def score_ring(links: Links, ring: list[int], *, referrals: nx.DiGraph, joined_at: dict,
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

    ``shared`` counts, per kind, the identifiers two or more ring members use
    (noise left out).

    Examples
    --------
    >>> uses = IdentifierUses.from_pairs([(m, ("card", "c1")) for m in range(5)], 5)
    >>> links = link_members(uses)
    >>> ring = candidate_rings(links)[0]
    >>> from datetime import datetime
    >>> r = score_ring(links, ring, referrals=nx.DiGraph([(0, 1), (1, 2)]),
    ...                joined_at={m: datetime(2024, 1, 1) for m in range(5)})
    >>> r["score"], r["reasons"], r["size"], r["farm_size"], r["shared"]
    (0.8, ['strong_shared', 'self_referral', 'join_window'], 5, 0, [{'kind': 'card', 'count': 1}])
    """
    weights = weights or DEFAULT_WEIGHTS
    members = set(ring)
    used_inside = np.asarray(links.uses[ring].sum(axis=0)).ravel()
    identifiers = np.flatnonzero((used_inside >= 2) & ~links.noise)
    kinds = Counter(links.kinds[identifiers].tolist())
    internal = [(s, m) for m in ring if m in referrals for s in referrals.pred[m] if s in members]
    internal_referrals = len(internal)
    times = [joined_at[m] for m in ring if m in joined_at]
    earned = Counter()
    for (seller, beneficiary), amount in (commissions or {}).items():
        if seller in members:
            earned[beneficiary] += amount
    total_earned = sum(earned.values())
    top_share = max((v for b, v in earned.items() if b in members), default=0) / total_earned if total_earned else 0
    farms = identifiers[links.farm[identifiers]]
    farm_size = int(links.size[farms].max()) if len(farms) else 0
    reasons = {
        "strong_shared": any(kind in STRONG_IDENTIFIER_KINDS for kind in kinds),
        "self_referral": internal_referrals > 0,
        "join_window": len(times) == len(ring) and max(times) - min(times) <= join_window,
        "commission_sink": top_share >= 0.5,
        "referral_chain": _longest_sponsorship_run(internal) >= CHAIN_LINKS,
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


def _longest_sponsorship_run(edges: list[tuple]) -> float:
    """The most sponsorships in a row among these (sponsor, recruit) edges; infinite
    when they loop.  Rings are small, so a walk beats building a graph.

    >>> _longest_sponsorship_run([("a", "b"), ("b", "c"), ("a", "d")]), _longest_sponsorship_run([(1, 2), (2, 1)])
    (2, inf)
    """
    recruits: dict = {}
    for sponsor, recruit in edges:
        recruits.setdefault(sponsor, []).append(recruit)
    longest: dict = {}

    def run(member, path: frozenset) -> float:
        if member in path:
            return float("inf")
        if member not in longest:
            longest[member] = max((1 + run(r, path | {member}) for r in recruits.get(member, ())), default=0)
        return longest[member]

    return max((run(sponsor, frozenset()) for sponsor in recruits), default=0)


def ring_id(members: list[str]) -> str:
    """A ring's id, from its membership: the same members in a later run give the same
    id (so a review carries over), and one more or fewer gives another.

    >>> ring_id(["b", "a"]) == ring_id(["a", "b"]) != ring_id(["a", "b", "c"])
    True
    """
    return "ring-" + hashlib.sha256("\n".join(sorted(members)).encode()).hexdigest()[:16]
