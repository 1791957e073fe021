"""Influence components on hand-built graphs, with answers worked out here."""

import networkx as nx
import pytest

from graphsvc.analysis.influence import influence_components, influence_scores, tiers


def _graph(edges, active, volume=None, currency="USD"):
    G = nx.DiGraph(edges)
    for n in G:
        G.nodes[n]["active"] = n in active
        if (volume or {}).get(n):
            G.nodes[n]["sales"] = {currency: volume[n]}
    return G


def test_chain_decays_level_by_level():
    G = _graph([("a", "b"), ("b", "c"), ("c", "d")], active={"a", "b", "c", "d"}, volume={"d": 100})
    c = influence_components(G, decay=0.5)
    # b, c, d are 1, 2, 3 levels below a: weights 0.5, 0.25, 0.125.
    assert (c["a"]["downline_total"], c["a"]["active_downline"], c["a"]["downline_sales"]) == (3, 3, {"USD": 100})
    assert c["a"]["score_inputs"]["active_downline"] == pytest.approx(0.875)
    assert c["a"]["score_inputs"]["downline_volume"] == pytest.approx(12.5)
    assert c["c"]["score_inputs"]["downline_volume"] == pytest.approx(50.0)
    assert (c["a"]["direct_recruits"], c["a"]["retention"]) == (1, 1.0)
    assert c["d"] == {**c["d"], "downline_total": 0, "active_downline": 0, "downline_sales": {}, "direct_recruits": 0,
                      "retention": 0.0}


def test_star_counts_recruits_and_retention():
    recruits = [f"r{i}" for i in range(10)]
    G = _graph([("hub", r) for r in recruits], active={"hub", *recruits[:6]})
    c = influence_components(G, decay=0.5)["hub"]
    assert (c["direct_recruits"], c["downline_total"]) == (10, 10)
    assert c["retention"] == pytest.approx(0.6)
    assert (c["active_downline"], c["score_inputs"]["active_downline"]) == (6, pytest.approx(3.0))


def _power_iteration_pagerank(edges, nodes, personal, alpha=0.85, rounds=500):
    """PageRank written out plainly: x <- alpha * (x P + dangling mass * p) + (1 - alpha) * p."""
    total = sum(personal.values())
    p = {n: personal[n] / total for n in nodes}
    out = {n: [v for u, v in edges if u == n] for n in nodes}
    x = dict(p)
    for _ in range(rounds):
        dangling = sum(x[n] for n in nodes if not out[n])
        nxt = {n: (1 - alpha) * p[n] + alpha * dangling * p[n] for n in nodes}
        for n in nodes:
            for v in out[n]:
                nxt[v] += alpha * x[n] / len(out[n])
        x = nxt
    return x


def test_pagerank_is_credit_flowing_up_personalised_by_sales():
    edges = [("a", "b"), ("a", "c"), ("b", "d"), ("b", "e")]
    volume = {"a": 0, "b": 0, "c": 0, "d": 900, "e": 0}
    G = _graph(edges, active=set("abcde"), volume=volume)
    c = influence_components(G)
    # Credit flows recruit -> sponsor; each member's own sales (+1) seed it.
    expected = _power_iteration_pagerank([(v, u) for u, v in edges], list("abcde"), {n: 1 + volume[n] for n in "abcde"})
    for n in "abcde":
        # NetworkX stops once the total change is below N x 1e-6.
        assert c[n]["pagerank"] == pytest.approx(expected[n], abs=2e-5)
    # b sits above the big seller d, so it outranks its sibling c.
    assert c["b"]["pagerank"] > c["c"]["pagerank"]


def test_a_cycle_in_the_data_does_not_hang_or_count():
    G = _graph([("a", "b"), ("b", "c"), ("c", "a"), ("r", "x")], active=set("abcrx"))
    c = influence_components(G)
    assert c["r"]["downline_total"] == 1
    assert all(c[n]["downline_total"] == 0 for n in "abc")


def test_a_member_with_two_sponsors_counts_under_the_first_for_every_figure():
    # c was given two sponsors, a and b (a comes first); d sits below c.
    G = _graph([("a", "c"), ("b", "c"), ("c", "d")], active=set("abcd"), volume={"d": 500})
    c = influence_components(G, decay=0.5)
    # Worked by hand over the tree a -> c -> d, b alone.
    assert (c["a"]["downline_total"], c["a"]["direct_recruits"], c["a"]["score_inputs"]["downline_volume"]) == (
        2, 1, 125.0)
    assert (c["a"]["downline_sales"], c["b"]["downline_sales"]) == ({"USD": 500}, {})
    assert (c["b"]["downline_total"], c["b"]["direct_recruits"], c["b"]["score_inputs"]["downline_volume"]) == (
        0, 0, 0.0)
    # PageRank over the same tree: b gets no credit from c.
    expected = _power_iteration_pagerank([("c", "a"), ("d", "c")], list("abcd"), {"a": 1, "b": 1, "c": 1, "d": 501})
    for n in "abcd":
        assert c[n]["pagerank"] == pytest.approx(expected[n], abs=2e-5)


def test_scores_and_tiers_rank_a_strong_downline_first():
    # "big" has 5 active, selling recruits; "small" one inactive recruit; the rest nobody.
    edges = [("big", f"b{i}") for i in range(5)] + [("small", "s0")]
    G = _graph(edges, active={"big", *{f"b{i}" for i in range(5)}}, volume={f"b{i}": 1000 for i in range(5)})
    for i in range(92):
        G.add_node(f"z{i:02d}", active=False)
    scores = influence_scores(influence_components(G))
    assert max(scores, key=scores.get) == "big"
    assert scores["big"] > scores["small"] > scores["z00"]
    tier = tiers(scores)
    # 100 members: 1 platinum, 4 gold, 10 silver.
    assert tier["big"] == "platinum"
    assert sorted(tier.values()).count("gold") == 4 and sorted(tier.values()).count("silver") == 10


def test_sales_in_several_currencies_stay_apart_and_count_alike_in_the_score():
    # x sells 1,000 JPY below it, y 10.00 EUR: each is its currency's whole programme, so the
    # score weighs them alike (no exchange rate), and the sales below are never added up.
    G = _graph([("x", "x1"), ("y", "y1")], active=set())
    G.nodes["x1"]["sales"], G.nodes["y1"]["sales"] = {"JPY": 1000}, {"EUR": 1000}
    c = influence_components(G, decay=0.5)
    assert (c["x"]["downline_sales"], c["y"]["downline_sales"]) == ({"JPY": 1000}, {"EUR": 1000})
    assert c["x"]["score_inputs"]["downline_volume"] == c["y"]["score_inputs"]["downline_volume"] == 500.0
    # Had y sold a tenth of EUR's programme, it would weigh a tenth as much.
    G.add_edge("y", "y2")
    G.nodes["y2"]["sales"] = {"EUR": 9000}
    c = influence_components(G, decay=0.5)
    assert c["y"]["score_inputs"]["downline_volume"] == pytest.approx(0.5 * 10000)
    assert c["x"]["score_inputs"]["downline_volume"] == pytest.approx(0.5 * 1000 * 10)
