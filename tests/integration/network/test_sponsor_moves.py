"""Sponsor changes keep every stored answer equal to the oracle and never make a cycle."""

import threading

from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from tests.conftest import post_csv
from tests.oracle import NetworkOracle

HEADER = "id,sponsor_id,joined_at,status,country\n"


def _import_forest(client, headers, sponsor_of):
    rows = "".join(f"{m},{s or ''},2024-01-01T00:00:00Z,active,US\n" for m, s in sponsor_of.items())
    response = post_csv(client, "members", HEADER + rows, headers)
    assert response.status_code == 200, response.get_json()


def _assert_matches(client, headers, oracle, cypher):
    for member in oracle.sponsor_of:
        body = client.get(f"/api/v1/members/{member}/downline?depth=20&limit=1000", headers=headers).get_json()
        expected = oracle.downline(member, 20)
        assert [(i["level"], i["id"]) for i in body["items"]] == expected, member
        assert body["total"] == len(expected)
        info = client.get(f"/api/v1/members/{member}", headers=headers).get_json()
        assert info["downline_total"] == oracle.downline_total(member)
        assert info["sponsor_id"] == oracle.sponsor_of[member]
        upline = client.get(f"/api/v1/members/{member}/upline", headers=headers).get_json()
        assert [i["id"] for i in upline["items"]] == oracle.upline(member)
    # The stored REFERRED edges (not just the derived properties) form the oracle's forest.
    edges = cypher("MATCH (s:Member)-[:REFERRED]->(m:Member) RETURN m.id AS m, s.id AS s")
    assert {e["m"]: e["s"] for e in edges} == {m: s for m, s in oracle.sponsor_of.items() if s}
    assert len(edges) == sum(1 for s in oracle.sponsor_of.values() if s)


@st.composite
def forests_and_moves(draw):
    n = draw(st.integers(2, 12))
    ids = [f"N{i}" for i in range(n)]
    sponsor_of = {ids[0]: None}
    for i in range(1, n):
        sponsor_of[ids[i]] = draw(st.one_of(st.none(), st.sampled_from(ids[:i])))
    moves = draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=8))
    return sponsor_of, moves


@hsettings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=forests_and_moves())
def test_random_joins_and_moves_match_oracle(client, admin, clean_cypher, case):
    sponsor_of, moves = case
    clean_cypher("MATCH (n:Member) DETACH DELETE n")
    _import_forest(client, admin, sponsor_of)
    oracle = NetworkOracle(sponsor_of)
    for member, sponsor in moves:
        response = client.put(f"/api/v1/members/{member}/sponsor", json={"sponsor_id": sponsor}, headers=admin)
        if oracle.move(member, sponsor):
            assert response.status_code == 200, response.get_json()
            assert response.get_json()["sponsor_id"] == sponsor
        else:
            assert response.status_code == 409
            loop = response.get_json()["errors"]["path"]
            # The loop starts and ends at the member, and each next id is the previous one's recruit.
            assert loop[0] == loop[-1] == member
            assert loop[-2] == sponsor
            for upper, lower in zip(loop, loop[1:-1]):
                assert oracle.sponsor_of[lower] == upper
    _assert_matches(client, admin, oracle, clean_cypher)


def test_concurrent_opposite_moves_cannot_make_a_cycle(client, admin, cypher, app):
    # R -> A and R -> B; moving A under B and B under A at once would close A <-> B.
    _import_forest(client, admin, {"R": None, "A": "R", "B": "R"})
    statuses = []

    def move(member, sponsor):
        with app.test_client() as own:
            r = own.put(f"/api/v1/members/{member}/sponsor", json={"sponsor_id": sponsor}, headers=admin)
            statuses.append(r.status_code)

    for _ in range(5):
        threads = [threading.Thread(target=move, args=("A", "B")), threading.Thread(target=move, args=("B", "A"))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(statuses) == [200, 409]
        statuses.clear()
        cycles = cypher("MATCH p=(m:Member)-[:REFERRED*1..5]->(m) RETURN count(p) AS n")
        assert cycles == [{"n": 0}]
        # Reset to the starting shape for the next round.
        for member in ("A", "B"):
            client.put(f"/api/v1/members/{member}/sponsor", json={"sponsor_id": "R"}, headers=admin)


def test_unknown_sponsor_is_404_and_bad_body_422(client, admin):
    _import_forest(client, admin, {"R": None, "A": "R"})
    assert client.put("/api/v1/members/A/sponsor", json={"sponsor_id": "NOPE"}, headers=admin).status_code == 404
    response = client.put("/api/v1/members/A/sponsor", json={"sponsor_id": "R", "depth": 3}, headers=admin)
    assert response.status_code == 422
    assert "depth" in response.get_json()["errors"]
