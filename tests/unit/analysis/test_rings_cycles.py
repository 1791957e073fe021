"""Cycles, several sponsors and rings on hand-built graphs."""

from datetime import datetime, timedelta

import networkx as nx
import numpy as np

from graphsvc.analysis.cycles import multiple_sponsors, referral_cycles
from graphsvc.analysis.rings import IdentifierUses, candidate_rings, link_members, score_ring

JAN = datetime(2024, 1, 1)


def _edges(pairs):
    """Named sponsor -> recruit pairs as the arrays the functions take, and the names."""
    names = sorted({m for pair in pairs for m in pair})
    sponsor = np.array([names.index(s) for s, _ in pairs], dtype=np.int64)
    recruit = np.array([names.index(r) for _, r in pairs], dtype=np.int64)
    return sponsor, recruit, names


def test_cycle_of_four_and_two_sponsors():
    sponsor, recruit, names = _edges([("a", "b"), ("b", "c"), ("c", "d"), ("d", "a"), ("r", "x"), ("s", "x"),
                                      ("r", "y")])
    assert [[names[m] for m in c] for c in referral_cycles(sponsor, recruit, len(names))] == [["a", "b", "c", "d"]]
    assert [{"id": names[m["id"]], "sponsors": [names[s] for s in m["sponsors"]]}
            for m in multiple_sponsors(sponsor, recruit)] == [{"id": "x", "sponsors": ["r", "s"]}]
    sponsor, recruit, names = _edges([("r", "a"), ("a", "b")])
    assert referral_cycles(sponsor, recruit, len(names)) == []
    assert multiple_sponsors(sponsor, recruit) == []


def test_two_cycles_through_one_member_and_a_cycle_hanging_off_a_tree():
    # a -> b -> a and a -> c -> a share a; x -> y -> z -> y hangs below the root x.
    sponsor, recruit, names = _edges([("a", "b"), ("b", "a"), ("a", "c"), ("c", "a"), ("x", "y"), ("y", "z"),
                                      ("z", "y")])
    cycles = [[names[m] for m in c] for c in referral_cycles(sponsor, recruit, len(names))]
    assert cycles == [["a", "b"], ["a", "c"], ["y", "z"]]
    assert [(names[m["id"]], [names[s] for s in m["sponsors"]]) for m in multiple_sponsors(sponsor, recruit)] == [
        ("a", ["b", "c"]), ("y", ["x", "z"])]


def test_self_sponsorship_is_a_cycle_of_one():
    assert referral_cycles(np.array([0]), np.array([0]), 1) == [[0]]


class Named:
    """Ring inputs over named members (nodes are their positions in ``names``), and
    the ring functions' answers named back."""

    def __init__(self, uses, referrals=(), names=()):
        self.names = list(names)
        for member, _ in uses:
            self.node(member)
        for pair in referrals:
            for member in pair:
                self.node(member)
        self.uses = IdentifierUses.from_pairs([(self.node(m), i) for m, i in uses], len(self.names))
        self.referrals = nx.DiGraph([(self.node(a), self.node(b)) for a, b in referrals])
        heads = np.array([self.node(a) for a, _ in referrals], dtype=np.int64)
        tails = np.array([self.node(b) for _, b in referrals], dtype=np.int64)
        self.sponsorships = (heads, tails)

    def node(self, name):
        if name not in self.names:
            self.names.append(name)
        return self.names.index(name)

    def links(self, **options):
        return link_members(self.uses, sponsorships=self.sponsorships, **options)

    def rings(self, **options):
        return sorted(sorted(self.names[m] for m in ring) for ring in candidate_rings(self.links(**options)))

    def scored(self, joined_days=None, commissions=None, **options):
        links = self.links(**options)
        joined = {m: JAN + timedelta(days=(joined_days or {}).get(name, 0)) for m, name in enumerate(self.names)}
        flows = {(self.node(s), self.node(b)): v for (s, b), v in (commissions or {}).items()}
        scored = [score_ring(links, ring, referrals=self.referrals, joined_at=joined, commissions=flows)
                  for ring in candidate_rings(links)]
        return [{**r, "members": sorted(self.names[m] for m in r["members"])} for r in scored]


def test_ring_of_five_sharing_a_card_and_sponsoring_each_other_is_high_risk():
    ring = ["m1", "m2", "m3", "m4", "m5"]
    named = Named([*[(m, ("card", "c-1")) for m in ring], *[(m, ("email", m)) for m in ring]],
                  [("boss", "m1"), ("m1", "m2"), ("m2", "m3"), ("m3", "m4"), ("m4", "m5")])
    assert named.rings() == [ring]
    [result] = named.scored({m: i * 30 for i, m in enumerate(ring)},
                            {("m5", "m1"): 900, ("m4", "m1"): 300, ("m3", "boss"): 100})
    # card shared 0.35 + sponsoring inside 0.3 + commissions mostly to m1 (1200 of 1300) 0.2 + four
    # sponsorships in a row 0.3, capped at 1; joined months apart.
    assert result["reasons"] == ["strong_shared", "self_referral", "commission_sink", "referral_chain"]
    assert result["score"] == 1.0
    assert result["shared"] == [{"kind": "card", "count": 1}]


def test_household_sharing_an_address_is_not_a_ring_and_with_wifi_is_low_risk():
    assert Named([("mum", ("address", "h1")), ("son", ("address", "h1"))]).rings() == []
    # Same address and home IP: linked (two identifiers), mum recruited son, both joined the same week.
    named = Named([("mum", ("address", "h1")), ("son", ("address", "h1")), ("mum", ("ip", "1")), ("son", ("ip", "1"))],
                  [("mum", "son")])
    assert named.rings() == [["mum", "son"]]
    [result] = named.scored({"son": 3})
    assert result["score"] == 0.45 and result["score"] < 0.6


def test_fifty_strangers_behind_one_ip_are_noise():
    uses = [*[(f"s{i}", ("ip", "nat")) for i in range(50)], *[(f"s{i}", ("device", f"d{i}")) for i in range(50)]]
    assert Named(uses).rings(max_members_per_identifier=10) == []
    # Even with a second weak identifier in common, a NAT IP above the limit does not count.
    uses += [("s1", ("address", "office")), ("s2", ("address", "office"))]
    assert Named(uses).rings(max_members_per_identifier=10) == []


def test_forty_accounts_on_one_card_are_a_high_risk_farm_and_forty_on_one_ip_are_noise():
    card = Named([(f"f{i}", ("card", "c-9")) for i in range(40)])
    [farm] = card.scored({f"f{i}": i * 40 for i in range(40)}, max_members_per_identifier=10)
    # Above the noise limit, yet a card: 40 members linked, card 0.35 + farm 0.3 (joined months apart).
    assert (farm["size"], farm["farm_size"], farm["reasons"], farm["score"]) == (
        40, 40, ["strong_shared", "farm"], 0.65)
    assert farm["shared"] == [{"kind": "card", "count": 1}]
    nat = Named([(f"s{i}", ("ip", "nat")) for i in range(40)])
    assert nat.scored(max_members_per_identifier=10) == []


def test_a_chain_of_alt_accounts_each_sharing_one_weak_identifier_with_its_recruit_is_found():
    # a recruits b (same phone), b recruits c (same address), c recruits d (same IP): no pair
    # shares two identifiers or a strong one, so only sponsorship links them.
    uses = [("a", ("phone", "p1")), ("b", ("phone", "p1")), ("b", ("address", "h1")), ("c", ("address", "h1")),
            ("c", ("ip", "i1")), ("d", ("ip", "i1")), ("x", ("ip", "i1"))]  # x shares the IP, sponsors nobody
    assert Named(uses).rings() == []  # without sponsorship nothing links them
    named = Named(uses, [("boss", "a"), ("a", "b"), ("b", "c"), ("c", "d"), ("boss", "x")])
    [chain] = named.scored({"a": 0, "b": 2, "c": 4, "d": 6})
    assert chain["members"] == ["a", "b", "c", "d"]
    # sponsoring inside 0.3 + three sponsorships in a row 0.3 + all joined within a week 0.15.
    assert (chain["reasons"], chain["score"]) == (["self_referral", "join_window", "referral_chain"], 0.75)


def test_a_household_recruiting_at_one_address_stays_clean():
    # mum recruited her son and daughter; they share the home address, nothing else.
    named = Named([("mum", ("address", "h")), ("son", ("address", "h")), ("daughter", ("address", "h"))],
                  [("mum", "son"), ("mum", "daughter")])
    assert named.scored({"son": 30, "daughter": 60}) == []


def test_sponsorship_only_groups_need_three_in_a_row_or_a_loop():
    # Each recruit shares one weak identifier with its sponsor.  Two in a row (p -> q -> r)
    # and a fan (f -> g, f -> h, g -> k: longest two) stay clean; three sponsoring one
    # another round in a loop (u -> v -> w -> u) are a ring, as is a chain of three.
    pairs = [("p", "q"), ("q", "r"), ("f", "g"), ("f", "h"), ("g", "k"), ("u", "v"), ("v", "w"), ("w", "u"),
             ("c1", "c2"), ("c2", "c3"), ("c3", "c4")]
    named = Named([use for i, (s, r) in enumerate(pairs) for use in ((s, ("phone", f"x{i}")), (r, ("phone", f"x{i}")))],
                  pairs)
    assert named.rings() == [["c1", "c2", "c3", "c4"], ["u", "v", "w"]]
