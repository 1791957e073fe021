"""Imported networks answer downline, upline and member reads exactly as an
independent in-memory oracle computes them."""

import random

import pytest

from graphsvc.network.generator import generate
from tests.conftest import post_csv
from tests.oracle import NetworkOracle


@pytest.fixture()
def generated(tmp_path, client, admin):
    counts = generate(3000, tmp_path, seed=7, orders_per_member=2)
    for kind in ("members", "orders", "identifiers"):
        response = post_csv(client, kind, (tmp_path / f"{kind}.csv").read_text(), admin)
        assert response.status_code == 200, response.get_json()
        assert response.get_json()["rows"] == counts[kind]
    return NetworkOracle.from_csv(tmp_path / "members.csv")


def _all_pages(client, member, depth, limit, headers):
    items, cursor, pages = [], None, 0
    while True:
        url = f"/api/v1/members/{member}/downline?depth={depth}&limit={limit}"
        body = client.get(url + (f"&cursor={cursor}" if cursor else ""), headers=headers).get_json()
        items += [(i["level"], i["id"]) for i in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return body, items, pages


@pytest.mark.parametrize("small_downline", [0, 10**9], ids=["seek-per-level", "subtree-scan"])
def test_downline_matches_oracle_for_big_and_random_members(client, admin, generated, monkeypatch, small_downline):
    # Both ways of reading a page: one index seek per level, and one scan of a small subtree.
    monkeypatch.setattr("graphsvc.network.service.SMALL_DOWNLINE", small_downline)
    oracle = generated
    kids = oracle.children()
    biggest = sorted(oracle.sponsor_of, key=lambda m: -len(kids[m]))[:3]
    rng = random.Random(3)
    for member in biggest + rng.sample(sorted(oracle.sponsor_of), 20):
        for depth in (1, 3, 20):
            expected = oracle.downline(member, depth)
            body, items, pages = _all_pages(client, member, depth, 37, admin)
            assert items == expected
            assert body["total"] == len(expected)
            per_level = {}
            for level, _ in expected:
                per_level[level] = per_level.get(level, 0) + 1
            assert body["levels"] == [{"level": l, "count": c} for l, c in sorted(per_level.items())]
            assert pages == max(1, -(-len(expected) // 37))


def test_member_and_upline_match_oracle(client, admin, generated):
    oracle = generated
    kids = oracle.children()
    for member in random.Random(5).sample(sorted(oracle.sponsor_of), 40):
        body = client.get(f"/api/v1/members/{member}", headers=admin).get_json()
        assert body["sponsor_id"] == oracle.sponsor_of[member]
        assert body["direct_recruits"] == len(kids[member])
        assert body["downline_total"] == oracle.downline_total(member)
        upline = client.get(f"/api/v1/members/{member}/upline?levels=20", headers=admin).get_json()
        assert [i["id"] for i in upline["items"]] == oracle.upline(member)[:20]
        assert [i["level"] for i in upline["items"]] == list(range(1, len(upline["items"]) + 1))


def test_member_search_pages_through_ids_with_a_prefix(client, admin, generated):
    # The oracle: the generated ids that start with M00012, in order (M0001200..M0001299).
    expected = sorted(m for m in generated.sponsor_of if m.startswith("M00012"))
    seen, cursor = [], None
    while True:
        page = client.get("/api/v1/members", query_string={"q": "M00012", "limit": 30,
                                                           **({"cursor": cursor} if cursor else {})},
                          headers=admin).get_json()
        seen += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert [m["id"] for m in seen] == expected and len(expected) == 100
    first = seen[0]
    assert first == client.get(f"/api/v1/members/{first['id']}", headers=admin).get_json()
    assert client.get("/api/v1/members?q=nobody", headers=admin).get_json() == {"items": [], "next_cursor": None}
    assert client.get("/api/v1/members", headers=admin).status_code == 400  # q is required


def test_reimporting_the_same_files_changes_nothing(tmp_path, client, admin, generated, cypher):
    snapshot = "MATCH (n) WHERE NOT n:AuditEvent AND NOT n:ApiKey AND NOT n:Import RETURN count(n) AS n, " \
               "collect([n.id, n.path, n.level_counts, n.downline_total, n.status, n.amount])[..50000] AS props"
    relationships = "MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS n ORDER BY t"
    before = (cypher(snapshot), cypher(relationships))
    generate(3000, tmp_path / "again", seed=7, orders_per_member=2)
    for kind in ("members", "orders", "identifiers"):
        assert post_csv(client, kind, (tmp_path / "again" / f"{kind}.csv").read_text(), admin).status_code == 200
    assert (cypher(snapshot), cypher(relationships)) == before


@pytest.fixture()
def small(client, admin):
    members = "id,sponsor_id,joined_at,status,country\nM0000000,,2024-01-01T00:00:00Z,active,US\n"
    assert post_csv(client, "members", members, admin).status_code == 200


@pytest.mark.parametrize("query", ["depth=0", "depth=21", "limit=0", "limit=1001", "depth=x"])
def test_out_of_range_depth_and_limit_are_400(client, admin, small, query):
    response = client.get(f"/api/v1/members/M0000000/downline?{query}", headers=admin)
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"


def test_forged_cursor_is_refused(client, admin, small):
    response = client.get("/api/v1/members/M0000000/downline?cursor=bm90LWEtY3Vyc29y", headers=admin)
    assert response.status_code == 422
    assert "cursor" in response.get_json()["errors"]


def test_unknown_member_is_404(client, admin, small):
    for path in ("", "/downline", "/upline"):
        assert client.get(f"/api/v1/members/NOPE{path}", headers=admin).status_code == 404


def test_a_100k_member_network_imports_and_matches_the_oracle(tmp_path, services, client, admin, clean_cypher):
    generate(100_000, tmp_path, seed=100, orders_per_member=0)
    with open(tmp_path / "members.csv", newline="") as f:
        assert services.importer.import_members(f).rows == 100_000
    oracle = NetworkOracle.from_csv(tmp_path / "members.csv")
    kids = oracle.children()
    biggest = sorted(oracle.sponsor_of, key=lambda m: -len(kids[m]))[:2]
    for member in biggest + random.Random(8).sample(sorted(oracle.sponsor_of), 30):
        expected = oracle.downline(member, 5)
        body = client.get(f"/api/v1/members/{member}/downline?depth=5&limit=200", headers=admin).get_json()
        assert body["total"] == len(expected)
        assert [(i["level"], i["id"]) for i in body["items"]] == expected[:200]
        info = client.get(f"/api/v1/members/{member}", headers=admin).get_json()
        assert info["downline_total"] == oracle.downline_total(member)
