"""Influence components on hand-built networks, with answers worked out here (and
PageRank checked against NetworkX's own)."""

import networkx as nx
import numpy as np
import pytest

from graphsvc.analysis.influence import influence_components, influence_scores, tiers


class Network:
    """A network of named members as the influence functions take it: nodes in the
    order the names first appear, the edges as arrays, sales per currency."""

    def __init__(self, edges, active, volume=None, currency="USD", members=()):
        self.names = list(dict.fromkeys([*(m for edge in edges for m in edge), *members]))
        self.edges = list(edges)
        self.active = set(active)
        self.sales = {n: {currency: v} for n, v in (volume or {}).items() if v}

    def add(self, sponsor, recruit, sales=None):
        self.names += [m for m in (sponsor, recruit) if m not in self.names]
        self.edges.append((sponsor, recruit))
        if sales:
            self.sales[recruit] = sales

    def arrays(self):
        node = {n: i for i, n in enumerate(self.names)}
        currencies = sorted({c for s in self.sales.values() for c in s})
        sales = np.array([[self.sales.get(n, {}).get(c, 0) for c in currencies] for n in self.names],
                         dtype=np.int64).reshape(len(self.names), len(currencies))
        return (np.array([node[s] for s, _ in self.edges], dtype=np.int64),
                np.array([node[r] for _, r in self.edges], dtype=np.int64),
                np.array([n in self.active for n in self.names]), sales, currencies)

    def components(self, **options):
        """Per name: every component, sales per currency as a dict, score inputs by name."""
        sponsor, recruit, active, sales, currencies = self.arrays()
        c = influence_components(sponsor, recruit, active, sales, **options)
        return {name: {"direct_recruits": int(c.direct_recruits[i]), "downline_total": int(c.downline_total[i]),
                       "active_downline": int(c.active_downline[i]),
                       "downline_sales": {cur: int(v) for cur, v in zip(currencies, c.downline_sales[i]) if v},
                       "pagerank": float(c.pagerank[i]), "retention": float(c.retention[i]),
                       "score_inputs": {k: v[i] for k, v in c.score_inputs.items()}}
                for i, name in enumerate(self.names)}

    def scores(self):
        sponsor, recruit, active, sales, _ = self.arrays()
        scores = influence_scores(influence_components(sponsor, recruit, active, sales))
        return {name: float(scores[i]) for i, name in enumerate(self.names)}, scores


def _graph(edges, active, volume=None, currency="USD"):
    return Network(edges, active, volume, currency)


def test_chain_decays_level_by_level():
    G = _graph([("a", "b"), ("b", "c"), ("c", "d")], active={"a", "b", "c", "d"}, volume={"d": 100})
    c = G.components(decay=0.5)
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
    c = G.components(decay=0.5)["hub"]
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
    c = G.components()
    # Credit flows recruit -> sponsor; each member's own sales (+1) seed it.
    expected = _power_iteration_pagerank([(v, u) for u, v in edges], list("abcde"), {n: 1 + volume[n] for n in "abcde"})
    for n in "abcde":
        # NetworkX stops once the total change is below N x 1e-6.
        assert c[n]["pagerank"] == pytest.approx(expected[n], abs=2e-5)
    # b sits above the big seller d, so it outranks its sibling c.
    assert c["b"]["pagerank"] > c["c"]["pagerank"]


def test_a_cycle_in_the_data_does_not_hang_or_count():
    G = _graph([("a", "b"), ("b", "c"), ("c", "a"), ("r", "x")], active=set("abcrx"))
    c = G.components()
    assert c["r"]["downline_total"] == 1
    assert all(c[n]["downline_total"] == 0 for n in "abc")


def test_a_member_with_two_sponsors_counts_under_the_first_for_every_figure():
    # c was given two sponsors, a and b (a comes first); d sits below c.
    G = _graph([("a", "c"), ("b", "c"), ("c", "d")], active=set("abcd"), volume={"d": 500})
    c = G.components(decay=0.5)
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


def test_pagerank_equals_networkx_on_a_larger_forest_with_two_sponsors_and_a_cycle():
    # An independent oracle: networkx.pagerank on the recruit -> sponsor graph of the kept tree.
    rng = np.random.default_rng(3)
    names = [f"m{i:03d}" for i in range(300)]
    edges = [(names[int(rng.integers(0, i))], names[i]) for i in range(1, 300) if rng.random() < 0.9]
    edges += [(names[5], names[200]), (names[250], names[251]), (names[251], names[250])]  # extra sponsor, cycle
    volume = {n: int(rng.integers(0, 5000)) for n in names if rng.random() < 0.5}
    G = _graph(edges, active=set(names[::2]), volume=volume)
    G.names += [n for n in names if n not in G.names]
    c = G.components()
    first = {}
    for s, r in edges:  # the sponsor kept: the one whose node comes first
        first[r] = min(first.get(r, s), s, key=G.names.index)
    tree = nx.DiGraph()
    tree.add_nodes_from(G.names)
    tree.add_edges_from((r, s) for r, s in first.items())
    expected = nx.pagerank(tree, personalization={n: 1 + volume.get(n, 0) for n in G.names})
    for n in G.names:
        assert c[n]["pagerank"] == pytest.approx(expected[n], rel=1e-9, abs=1e-12)


def test_scores_and_tiers_rank_a_strong_downline_first():
    # "big" has 5 active, selling recruits; "small" one inactive recruit; the rest nobody.
    edges = [("big", f"b{i}") for i in range(5)] + [("small", "s0")]
    G = Network(edges, active={"big", *{f"b{i}" for i in range(5)}}, volume={f"b{i}": 1000 for i in range(5)},
                members=[f"z{i:02d}" for i in range(92)])
    scores, array = G.scores()
    assert max(scores, key=scores.get) == "big"
    assert scores["big"] > scores["small"] > scores["z00"]
    ranked = tiers(array, G.names)
    # 100 members: 1 platinum, 4 gold, 10 silver, best first.
    assert [G.names[n] for n, _ in ranked[:1]] == ["big"] and ranked[0][1] == "platinum"
    assert [t for _, t in ranked] == ["platinum"] + ["gold"] * 4 + ["silver"] * 10
    assert [scores[G.names[n]] for n, _ in ranked] == sorted(scores.values(), reverse=True)[:15]


def test_tiers_break_ties_by_id_at_the_boundary():
    # 20 members, 1 + 1 + 2 tiered; five tie for the last places: the two smallest ids get them.
    ids = ["q", "e", "d", "c", "b", "a", *(f"z{i:02d}" for i in range(14))]
    scores = np.array([9.0, 8.0, 5.0, 5.0, 5.0, 5.0, *([5.0] + [0.0] * 13)])
    assert [(ids[n], t) for n, t in tiers(scores, ids, bands=(("platinum", 0.05), ("gold", 0.05), ("silver", 0.1)))] \
        == [("q", "platinum"), ("e", "gold"), ("a", "silver"), ("b", "silver")]


def test_sales_in_several_currencies_stay_apart_and_count_alike_in_the_score():
    # x sells 1,000 JPY below it, y 10.00 EUR: each is its currency's whole programme, so the
    # score weighs them alike (no exchange rate), and the sales below are never added up.
    G = _graph([("x", "x1"), ("y", "y1")], active=set())
    G.sales = {"x1": {"JPY": 1000}, "y1": {"EUR": 1000}}
    c = G.components(decay=0.5)
    assert (c["x"]["downline_sales"], c["y"]["downline_sales"]) == ({"JPY": 1000}, {"EUR": 1000})
    assert c["x"]["score_inputs"]["downline_volume"] == c["y"]["score_inputs"]["downline_volume"] == 500.0
    # Had y sold a tenth of EUR's programme, it would weigh a tenth as much.
    G.add("y", "y2", {"EUR": 9000})
    c = G.components(decay=0.5)
    assert c["y"]["score_inputs"]["downline_volume"] == pytest.approx(0.5 * 10000)
    assert c["x"]["score_inputs"]["downline_volume"] == pytest.approx(0.5 * 1000 * 10)
