"""Cycles, several sponsors and rings on hand-built graphs."""

from datetime import datetime, timedelta

import networkx as nx

from graphsvc.analysis.cycles import multiple_sponsors, referral_cycles
from graphsvc.analysis.rings import candidate_rings, link_members, score_ring

JAN = datetime(2024, 1, 1)


def test_cycle_of_four_and_two_sponsors():
    G = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "d"), ("d", "a"), ("r", "x"), ("s", "x"), ("r", "y")])
    assert referral_cycles(G) == [["a", "b", "c", "d"]]
    assert multiple_sponsors(G) == [{"id": "x", "sponsors": ["r", "s"]}]
    assert referral_cycles(nx.DiGraph([("r", "a"), ("a", "b")])) == []


def test_self_sponsorship_is_a_cycle_of_one():
    assert referral_cycles(nx.DiGraph([("a", "a")])) == [["a"]]


def _uses(*pairs):
    return nx.Graph([(member, identifier) for member, identifier in pairs])


def test_ring_of_five_sharing_a_card_and_sponsoring_each_other_is_high_risk():
    ring = ["m1", "m2", "m3", "m4", "m5"]
    B = _uses(*[(m, ("card", "c-1")) for m in ring], *[(m, ("email", m)) for m in ring])
    referrals = nx.DiGraph([("boss", "m1"), ("m1", "m2"), ("m2", "m3"), ("m3", "m4"), ("m4", "m5")])
    L = link_members(B)
    assert candidate_rings(L) == [ring]
    result = score_ring(L, ring, referrals=referrals, joined_at={m: JAN + timedelta(days=i * 30) for i, m in enumerate(ring)},
                        commissions={("m5", "m1"): 900, ("m4", "m1"): 300, ("m3", "boss"): 100})
    # card shared 0.35 + sponsoring inside 0.3 + commissions mostly to m1 (1200 of 1300) 0.2; joined months apart.
    assert result["reasons"] == ["strong_shared", "self_referral", "commission_sink"]
    assert result["score"] == 0.85
    assert result["shared"] == [{"kind": "card", "count": 1}]


def test_household_sharing_an_address_is_not_a_ring_and_with_wifi_is_low_risk():
    only_address = _uses(("mum", ("address", "h1")), ("son", ("address", "h1")))
    assert candidate_rings(link_members(only_address)) == []
    # Same address and home IP: linked (two identifiers), mum recruited son, both joined the same week.
    B = _uses(("mum", ("address", "h1")), ("son", ("address", "h1")), ("mum", ("ip", "1")), ("son", ("ip", "1")))
    L = link_members(B)
    assert candidate_rings(L) == [["mum", "son"]]
    result = score_ring(L, ["mum", "son"], referrals=nx.DiGraph([("mum", "son")]),
                        joined_at={"mum": JAN, "son": JAN + timedelta(days=3)})
    assert result["score"] == 0.45 and result["score"] < 0.6


def test_fifty_strangers_behind_one_ip_are_noise():
    B = _uses(*[(f"s{i}", ("ip", "nat")) for i in range(50)], *[(f"s{i}", ("device", f"d{i}")) for i in range(50)])
    assert candidate_rings(link_members(B, max_members_per_identifier=10)) == []
    # Even with a second weak identifier in common, a NAT IP above the limit does not count.
    B.add_edges_from([("s1", ("address", "office")), ("s2", ("address", "office"))])
    assert candidate_rings(link_members(B, max_members_per_identifier=10)) == []
