"""Analysis runs on a generated network with planted truth: rings, cycles and
decoys, and influence components checked against an oracle computed here."""

import csv
import time
from collections import defaultdict
from datetime import datetime

import pytest

from graphsvc import schema
from graphsvc.network.generator import generate
from tests.conftest import post_csv
from tests.oracle import NetworkOracle

RINGS = [[f"RING{k}_{i}" for i in range(4)] for k in range(3)]


def _planted_csv():
    members = ["id,sponsor_id,joined_at,status,country"]
    identifiers = ["member_id,kind,value"]
    for k, ring in enumerate(RINGS):
        # A self-referral chain hanging off a generated member, joined within hours, one shared card.
        for i, member in enumerate(ring):
            sponsor = ring[i - 1] if i else "M0000010"
            members.append(f"{member},{sponsor},2025-06-0{k + 1}T0{i}:00:00Z,active,US")
            identifiers += [f"{member},card,4000-0000-0000-00{k}0", f"{member},email,{member.lower()}@example.org"]
    # Decoy: a household (address and home IP shared), mother recruited son a year apart.
    members += ["MUM,M0000020,2024-01-01T00:00:00Z,active,GB", "SON,MUM,2025-01-01T00:00:00Z,active,GB"]
    identifiers += ['MUM,address,"1 Lane, Town"', "SON,address,1 lane town", "MUM,ip,192.0.2.7", "SON,ip,192.0.2.7"]
    # Decoy: thirty strangers behind one office NAT IP.
    for i in range(30):
        members.append(f"NAT{i:02d},M00000{30 + i},2024-0{1 + i % 9}-01T00:00:00Z,active,DE")
        identifiers.append(f"NAT{i:02d},ip,198.51.100.1")
    # Two founders and a member both claim (fixed below with Cypher, bypassing the API).
    members += ["T1,,2024-01-01T00:00:00Z,active,US", "T2,,2024-01-01T00:00:00Z,active,US",
                "V1,T1,2024-02-01T00:00:00Z,active,US"]
    for c in range(4):
        members.append(f"CY{c},,2024-01-01T00:00:00Z,active,US")
    return "\n".join(members) + "\n", "\n".join(identifiers) + "\n"


@pytest.fixture()
def planted(tmp_path, client, admin, cypher):
    generate(2000, tmp_path, seed=21, orders_per_member=3)
    members, identifiers = _planted_csv()
    for kind in ("members", "orders", "identifiers"):
        assert post_csv(client, kind, (tmp_path / f"{kind}.csv").read_text(), admin).status_code == 200
    assert post_csv(client, "members", members, admin).status_code == 200
    assert post_csv(client, "identifiers", identifiers, admin).status_code == 200
    # Written directly, as another tool might: a cycle of four and a second sponsor.
    cypher("MATCH (a:Member {id:'CY0'}), (b:Member {id:'CY1'}), (c:Member {id:'CY2'}), (d:Member {id:'CY3'}) "
           "CREATE (a)-[:REFERRED]->(b), (b)-[:REFERRED]->(c), (c)-[:REFERRED]->(d), (d)-[:REFERRED]->(a)")
    cypher("MATCH (t:Member {id:'T2'}), (v:Member {id:'V1'}) CREATE (t)-[:REFERRED]->(v)")
    return tmp_path


def _run(client, headers, kind):
    response = client.post("/api/v1/analysis/runs", json={"kind": kind}, headers=headers)
    assert response.status_code == 202
    run = response.get_json()
    assert run["status"] in ("queued", "running")
    deadline = time.monotonic() + 300
    while run["status"] in ("queued", "running"):
        assert time.monotonic() < deadline
        time.sleep(0.2)
        run = client.get(f"/api/v1/analysis/runs/{run['id']}", headers=headers).get_json()
    assert run["status"] == "complete", run
    # As times, not strings: Neo4j drops trailing zeros of the fraction ("07.9Z" is after "07.899Z").
    at = lambda text: datetime.fromisoformat(text.replace("Z", "+00:00"))  # noqa: E731
    assert run["progress"] == 1.0 and at(run["finished_at"]) >= at(run["started_at"])
    return run


def test_planted_rings_and_cycles_are_found_and_no_decoy_is_high_risk(client, admin, planted):
    run = _run(client, admin, "all")
    rings = client.get("/api/v1/rings", headers=admin).get_json()
    assert rings["run_id"] == run["id"]
    assert sorted(r["members"] for r in rings["items"]) == sorted(RINGS)
    for ring in rings["items"]:
        assert {"strong_shared", "self_referral", "join_window"} <= set(ring["reasons"])
        assert {"kind": "card", "count": 1} in ring["shared"]
    everything = client.get("/api/v1/rings?min_score=0", headers=admin).get_json()["items"]
    household = [r for r in everything if "MUM" in r["members"]]
    assert [r["members"] for r in household] == [["MUM", "SON"]] and household[0]["score"] < 0.6
    assert not any(m.startswith("NAT") for r in everything for m in r["members"])

    cycles = client.get("/api/v1/cycles", headers=admin).get_json()
    assert cycles["cycles"] == [{"members": ["CY0", "CY1", "CY2", "CY3"]}]
    assert cycles["multi_sponsor"] == [{"id": "V1", "sponsors": ["T1", "T2"]}]


def _oracle_components(out, planted_members):
    oracle = NetworkOracle.from_csv(out / "members.csv")
    with open(out / "members.csv", newline="") as f:
        active = {m["id"]: m["status"] == "active" for m in csv.DictReader(f)}
    for line in planted_members.strip().splitlines()[1:]:
        member, sponsor, _, status, _ = line.split(",")
        oracle.sponsor_of[member] = sponsor or None
        active[member] = status == "active"
    sales = defaultdict(int)
    with open(out / "orders.csv", newline="") as f:
        for o in csv.DictReader(f):
            if o["status"] == "paid":
                sales[o["seller_id"]] += int(o["amount"].replace(".", ""))
    kids = oracle.children()

    def components(member):
        below = oracle.downline(member, 10_000)
        direct = kids[member]
        total = sum(sales[m] for _, m in below)
        return {
            "direct_recruits": len(direct),
            "downline_total": len(below),
            "active_downline": sum(active[m] for _, m in below),
            "downline_sales": {"USD": f"{total // 100}.{total % 100:02d}"} if total else {},
            "retention": sum(active[m] for m in direct) / len(direct) if direct else 0.0,
            # What the score weighs: each level down half the one above (one currency: minor units).
            "score_inputs": {"active_downline": sum(0.5 ** level for level, m in below if active[m]),
                             "downline_volume": sum(0.5 ** level * sales[m] for level, m in below)},
        }

    return components


def test_top_referrers_come_with_correct_components(client, admin, planted):
    _run(client, admin, "influence")
    top = client.get("/api/v1/referrers/top?limit=25", headers=admin).get_json()["items"]
    assert len(top) == 25
    assert [t["score"] for t in top] == sorted((t["score"] for t in top), reverse=True)
    # 2000 generated + 45 planted members: top ceil(1%) = 21 platinum, then gold.
    assert [t["tier"] for t in top] == ["platinum"] * 21 + ["gold"] * 4
    components = _oracle_components(planted, _planted_csv()[0])
    for item in top:
        expected = components(item["id"])
        got = item["components"]
        for key in ("direct_recruits", "downline_total", "active_downline", "downline_sales"):
            assert got[key] == expected[key], (item["id"], key)
        assert got["retention"] == pytest.approx(expected["retention"]), item["id"]
        for key in ("active_downline", "downline_volume"):
            assert got["score_inputs"][key] == pytest.approx(expected["score_inputs"][key]), (item["id"], key)


def test_scores_an_older_release_stored_per_member_are_served_after_migrate(client, admin, planted, services,
                                                                          cypher):
    # That release stored a node per tiered member; one had no sales per currency yet.
    run = services.analysis.create_run("influence")["id"]
    cypher("MATCH (r:AnalysisRun {id: $run}) SET r.status = 'complete', r.finished_at = datetime()", run=run)
    cypher("""UNWIND range(1, 1203) AS rank
              CREATE (:ReferrerScore {run_id: $run, member_id: 'M' + toString(rank), rank: rank,
                                      score: 1.0 / rank, tier: CASE WHEN rank = 1 THEN 'platinum' ELSE 'gold' END,
                                      direct_recruits: 2, downline_total: 5, active_downline: 1.75,
                                      downline_sales: CASE WHEN rank = 2 THEN null ELSE '{"USD": 1250}' END,
                                      pagerank: 0.001, retention: 0.5,
                                      score_inputs: CASE WHEN rank = 2 THEN null ELSE '{"pagerank": 0.001}' END})""",
           run=run)
    schema.migrate(services.db)
    assert cypher("MATCH (s:ReferrerScore) RETURN count(s) AS n") == [{"n": 0}]
    assert cypher("MATCH (s:ReferrerScores {run_id: $run}) RETURN s.first_rank AS first ORDER BY first", run=run) == [
        {"first": 1}, {"first": 1001}]
    top = services.analysis.top_referrers(1100)
    assert top["run_id"] == run and [t["id"] for t in top["items"]] == [f"M{rank}" for rank in range(1, 1101)]
    first, second, last = top["items"][0], top["items"][1], top["items"][-1]
    assert (first["tier"], first["score"], last["score"]) == ("platinum", 1.0, pytest.approx(1 / 1100))
    assert first["components"] == {"direct_recruits": 2, "downline_total": 5, "active_downline": 1,
                                   "downline_sales": {"USD": "12.50"}, "pagerank": 0.001, "retention": 0.5,
                                   "score_inputs": {"pagerank": 0.001}}
    # Not stored by that release: unknown, not zero.
    assert (second["components"]["downline_sales"], second["components"]["active_downline"],
            second["components"]["score_inputs"]) == (None, None, None)


def test_failed_run_keeps_previous_results(client, admin, planted, services, monkeypatch):
    first = _run(client, admin, "cycles")
    monkeypatch.setattr("graphsvc.analysis.cycles.referral_cycles", lambda *_: 1 / 0)
    failed = services.analysis.execute(services.analysis.create_run("cycles")["id"])
    assert failed["status"] == "failed" and "ZeroDivisionError" in failed["error"]
    cycles = client.get("/api/v1/cycles", headers=admin).get_json()
    assert cycles["run_id"] == first["id"] and cycles["cycles"]


def test_run_failing_at_a_later_step_keeps_every_earlier_result(client, admin, planted, services, monkeypatch):
    first = _run(client, admin, "all")
    before = client.get("/api/v1/referrers/top?limit=5", headers=admin).get_json()
    assert before["run_id"] == first["id"] and before["items"]
    # Influence computes and writes before cycles fail.
    monkeypatch.setattr("graphsvc.analysis.cycles.referral_cycles", lambda *_: 1 / 0)
    failed = services.analysis.execute(services.analysis.create_run("all")["id"])
    assert failed["status"] == "failed"
    assert client.get("/api/v1/referrers/top?limit=5", headers=admin).get_json() == before


def test_results_no_one_serves_are_removed_by_the_next_run(client, admin, planted, cypher):
    runs = [_run(client, admin, "all")["id"] for _ in range(3)]
    stored = lambda label: {r["run"] for r in cypher(f"MATCH (n:{label}) RETURN DISTINCT n.run_id AS run")}  # noqa: E731
    # The third run removed the first run's results; the second's stay until a fourth completes.
    for label in ("ReferrerScores", "CycleReport", "Ring"):
        assert stored(label) == set(runs[1:]), label


def test_a_run_in_progress_elsewhere_keeps_its_results_until_it_is_cut_off(client, admin, planted, services, cypher):
    # Another worker's run, part-way through writing its scores (an "all" run: one run of a
    # kind at a time, so a second influence run would be this same one).
    elsewhere = services.analysis.create_run("all")["id"]
    cypher("CREATE (:ReferrerScores {run_id: $run, first_rank: 1, member_ids: ['A1'], scores: [0.5]})", run=elsewhere)
    stored = "MATCH (n:ReferrerScores {run_id: $run}) RETURN count(n) AS n"
    _run(client, admin, "influence")
    assert cypher(stored, run=elsewhere) == [{"n": 1}]
    # Queued for longer than any run takes: its process died, and its results go.
    cypher("MATCH (r:AnalysisRun {id: $run}) SET r.created_at = datetime() - duration({hours: 7})", run=elsewhere)
    _run(client, admin, "influence")
    assert cypher(stored, run=elsewhere) == [{"n": 0}]


def test_runs_are_listed_newest_first_by_kind_and_status(client, admin, planted, services):
    cycles = _run(client, admin, "cycles")
    influence = _run(client, admin, "influence")
    queued = services.analysis.create_run("rings")
    everything = client.get("/api/v1/analysis/runs", headers=admin).get_json()
    assert [r["id"] for r in everything["items"]] == [queued["id"], influence["id"], cycles["id"]]
    assert everything["items"][1] == influence and everything["items"][1]["summary"]["referrers_scored"] > 0
    assert [r["id"] for r in client.get("/api/v1/analysis/runs?kind=cycles", headers=admin).get_json()["items"]] == [
        cycles["id"]]
    assert [r["id"] for r in client.get("/api/v1/analysis/runs?status=queued", headers=admin).get_json()["items"]] == [
        queued["id"]]
    first = client.get("/api/v1/analysis/runs?limit=1", headers=admin).get_json()
    second = client.get(f"/api/v1/analysis/runs?limit=1&cursor={first['next_cursor']}", headers=admin).get_json()
    assert [r["id"] for r in second["items"]] == [influence["id"]]


def test_unknown_kind_is_422(client, admin):
    assert client.post("/api/v1/analysis/runs", json={"kind": "astrology"}, headers=admin).status_code == 422


def test_one_run_of_a_kind_at_a_time(client, admin, services, cypher):
    from concurrent.futures import ThreadPoolExecutor

    # Six requests at once: one run is created, every request gets that one.
    with ThreadPoolExecutor(max_workers=6) as pool:
        runs = list(pool.map(lambda _: services.analysis.create_run("cycles"), range(6)))
    assert len({r["id"] for r in runs}) == 1 and sum(r["created"] for r in runs) == 1
    assert cypher("MATCH (r:AnalysisRun {kind: 'cycles'}) RETURN count(r) AS n") == [{"n": 1}]
    again = client.post("/api/v1/analysis/runs", json={"kind": "cycles"}, headers=admin)
    assert again.status_code == 202 and again.get_json()["id"] == runs[0]["id"]
    # Another period while a compliance run is under way: 409 naming it.
    first = services.analysis.create_run("compliance", "2024-01-01", "2024-02-01")
    other = client.post("/api/v1/analysis/runs", json={"kind": "compliance", "from": "2024-03-01", "to": "2024-04-01"},
                        headers=admin)
    assert other.status_code == 409 and first["id"] in other.get_json()["detail"]
    same = client.post("/api/v1/analysis/runs", json={"kind": "compliance", "from": "2024-01-01", "to": "2024-02-01"},
                       headers=admin)
    assert same.status_code == 202 and same.get_json()["id"] == first["id"]
    # Once it has finished, a new one starts.
    services.analysis.execute(runs[0]["id"])
    assert services.analysis.create_run("cycles")["created"]


def test_a_ring_a_reviewer_can_work_and_a_run_says_what_it_found(client, admin, planted):
    # RING0_3 sells; its sponsor RING0_2 earns 10% of it inside the ring.
    order = "id,seller_id,buyer_id,amount,currency,kind,at,status,customer_ref\n" \
            "RO1,RING0_3,,100.00,USD,retail,2025-06-10T00:00:00Z,paid,c-ring\n"
    assert post_csv(client, "orders", order, admin).status_code == 200
    plan = {"rates": ["0.10"], "compression": False, "commissionable_kinds": ["retail"]}
    assert client.put("/api/v1/plans/R", json=plan, headers=admin).status_code == 200
    assert client.post("/api/v1/commission-runs", json={"plan_id": "R", "from": "2025-06-10", "to": "2025-06-11"},
                       headers=admin).status_code == 201
    first = _run(client, admin, "rings")
    summary = first["summary"]
    assert summary["high_risk_rings"] == 3 and summary["new_rings"] == summary["rings"] >= 4  # and the household
    [ring] = [r for r in client.get("/api/v1/rings", headers=admin).get_json()["items"] if r["members"] == RINGS[0]]
    assert (ring["size"], ring["new"], ring["review"], ring["internal_referrals"]) == (4, True, None, 3)
    detail = client.get(f"/api/v1/rings/{ring['id']}", headers=admin).get_json()
    assert [(m["id"], m["sponsor_id"], m["sponsored_inside"]) for m in detail["members"]] == [
        ("RING0_0", "M0000010", False), ("RING0_1", "RING0_0", True), ("RING0_2", "RING0_1", True),
        ("RING0_3", "RING0_2", True)]
    assert [m["joined_at"][:16] for m in detail["members"]] == [f"2025-06-01T0{i}:00" for i in range(4)]
    assert detail["commissions"] == [{"currency": "USD", "total": "10.00"}]
    assert {s["kind"] for s in detail["shared"]} == {"card"}  # kinds only, never values
    review = client.put(f"/api/v1/rings/{ring['id']}/review", json={"status": "dismissed", "note": "test accounts"},
                        headers=admin)
    assert review.status_code == 200 and review.get_json()["review"]["status"] == "dismissed"
    assert client.put(f"/api/v1/rings/{ring['id']}/review", json={"status": "maybe"},
                      headers=admin).status_code == 422
    # The next run: the same members, so the same ring, still dismissed and no longer new.
    _run(client, admin, "rings")
    again = client.get(f"/api/v1/rings/{ring['id']}", headers=admin).get_json()
    assert (again["review"]["status"], again["review"]["note"], again["new"]) == ("dismissed", "test accounts", False)
    # A fifth account on the ring's card: another ring, new and unreviewed; the old one is gone.
    joined = "id,sponsor_id,joined_at,status,country\nRING0_4,RING0_3,2025-06-01T05:00:00Z,active,US\n"
    assert post_csv(client, "members", joined, admin).status_code == 200
    card = "member_id,kind,value\nRING0_4,card,4000-0000-0000-0000\n"
    assert post_csv(client, "identifiers", card, admin).status_code == 200
    third = _run(client, admin, "rings")
    [grown] = [r for r in client.get("/api/v1/rings", headers=admin).get_json()["items"] if "RING0_0" in r["members"]]
    assert (grown["size"], grown["new"], grown["review"]) == (5, True, None) and grown["id"] != ring["id"]
    assert third["summary"]["new_rings"] == 1
    assert client.get(f"/api/v1/rings/{ring['id']}", headers=admin).status_code == 404
