"""Commission runs on hand-worked networks, against an oracle, and across refunds."""

from datetime import datetime, timezone
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from tests.conftest import as_older_ledger, ledger_lines, post_csv, run_cli
from tests.oracle import commission_oracle

# F -> A -> B -> C -> D -> S.  A, D, S and F are active; B is inactive; C terminated.
MEMBERS = """id,sponsor_id,joined_at,status,country
F,,2023-01-01T00:00:00Z,active,US
A,F,2023-01-02T00:00:00Z,active,US
B,A,2023-01-03T00:00:00Z,inactive,US
C,B,2023-01-04T00:00:00Z,terminated,US
D,C,2023-01-05T00:00:00Z,active,US
S,D,2023-01-06T00:00:00Z,active,US
"""
ORDERS = """id,seller_id,buyer_id,amount,currency,kind,at,status,customer_ref
O1,S,,100.00,USD,retail,2024-01-10T12:00:00Z,paid,c1
O2,A,,50.00,USD,retail,2024-01-11T12:00:00Z,paid,c2
O3,S,,100.00,USD,retail,2024-02-01T00:00:00Z,paid,c3
O4,S,,100.00,USD,retail,2023-12-31T23:59:59Z,paid,c4
O5,D,,0.25,USD,retail,2024-01-12T00:00:00Z,paid,c5
O6,D,,0.35,USD,retail,2024-01-13T00:00:00Z,paid,c6
O7,S,,100.00,USD,retail,2024-01-14T00:00:00Z,refunded,c7
O8,S,S,100.00,USD,inventory,2024-01-15T00:00:00Z,paid,
"""
RATES = ["0.10", "0.05", "0.03", "0.02"]


@pytest.fixture()
def programme(client, admin):
    assert post_csv(client, "members", MEMBERS, admin).status_code == 200
    assert post_csv(client, "orders", ORDERS, admin).status_code == 200


def _plan(client, admin, compression, plan_id="P"):
    body = {"rates": RATES, "compression": compression, "commissionable_kinds": ["retail", "personal"]}
    response = client.put(f"/api/v1/plans/{plan_id}", json=body, headers=admin)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _run(client, admin, start="2024-01-01", end="2024-02-01", plan_id="P"):
    response = client.post("/api/v1/commission-runs", json={"plan_id": plan_id, "from": start, "to": end}, headers=admin)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _ledger(cypher, run_id):
    rows = ledger_lines(cypher, run_id)
    keys = [(r["o"], r["b"], r["l"], r["k"]) for r in rows]
    assert len(keys) == len(set(keys)), "a line paid twice"
    return {(r["o"], r["b"], r["l"], r["k"]): Decimal(r["a"]) / 100 for r in rows}


def test_compression_on_skips_members_who_are_not_active(client, admin, programme, cypher):
    _plan(client, admin, compression=True)
    run = _run(client, admin)
    # O1 100.00 by S: active upline D, A, F gets 10%, 5%, 3%.  O2 50.00 by A: only F above, 10%.
    # O5 0.25 by D: A 0.025 -> 0.02 (half-even), F 0.0125 -> 0.01.  O6 0.35: A 0.035 -> 0.04, F 0.0175 -> 0.02.
    # O3 (at == to), O4 (before from), O7 (refunded), O8 (inventory) earn nothing.
    assert _ledger(cypher, run["id"]) == {
        ("O1", "D", 1, "commission"): Decimal("10.00"),
        ("O1", "A", 2, "commission"): Decimal("5.00"),
        ("O1", "F", 3, "commission"): Decimal("3.00"),
        ("O2", "F", 1, "commission"): Decimal("5.00"),
        ("O5", "A", 1, "commission"): Decimal("0.02"),
        ("O5", "F", 2, "commission"): Decimal("0.01"),
        ("O6", "A", 1, "commission"): Decimal("0.04"),
        ("O6", "F", 2, "commission"): Decimal("0.02"),
    }
    assert (run["total"], run["currency"], run["lines"], run["status"]) == ("23.09", "USD", 8, "complete")


def test_compression_off_leaves_inactive_levels_unpaid(client, admin, programme, cypher):
    _plan(client, admin, compression=False)
    run = _run(client, admin)
    # O1: level 1 D 10.00; levels 2 (C, terminated) and 3 (B, inactive) unpaid; level 4 A 2% = 2.00.
    # O5 0.25 by D: C, B unpaid; A 3% = 0.0075 -> 0.01; F 2% = 0.005 -> 0.00 (half-even), no line.
    # O6 0.35: A 3% = 0.0105 -> 0.01; F 2% = 0.007 -> 0.01.
    assert _ledger(cypher, run["id"]) == {
        ("O1", "D", 1, "commission"): Decimal("10.00"),
        ("O1", "A", 4, "commission"): Decimal("2.00"),
        ("O2", "F", 1, "commission"): Decimal("5.00"),
        ("O5", "A", 3, "commission"): Decimal("0.01"),
        ("O6", "A", 3, "commission"): Decimal("0.01"),
        ("O6", "F", 4, "commission"): Decimal("0.01"),
    }
    assert run["total"] == "17.03"


def test_rerun_returns_the_same_run_and_pays_nothing_twice(client, admin, programme, cypher):
    _plan(client, admin, compression=True)
    first = _run(client, admin)
    before = _ledger(cypher, first["id"])
    second = _run(client, admin)
    assert second == first
    assert len(ledger_lines(cypher)) == len(before)


def test_refund_after_payout_is_reversed_in_the_next_run(client, admin, programme, cypher):
    _plan(client, admin, compression=True)
    january = _run(client, admin)
    refund = ORDERS.splitlines()[0] + "\nO1,S,,100.00,USD,retail,2024-01-10T12:00:00Z,refunded,c1\n"
    assert post_csv(client, "orders", refund, admin).status_code == 200
    february = _run(client, admin, "2024-02-01", "2024-03-01")
    # O3 (100.00 on 2024-02-01) pays D 10, A 5, F 3; O1's three lines are reversed.
    assert _ledger(cypher, february["id"]) == {
        ("O3", "D", 1, "commission"): Decimal("10.00"),
        ("O3", "A", 2, "commission"): Decimal("5.00"),
        ("O3", "F", 3, "commission"): Decimal("3.00"),
        ("O1", "D", 1, "reversal"): Decimal("-10.00"),
        ("O1", "A", 2, "reversal"): Decimal("-5.00"),
        ("O1", "F", 3, "reversal"): Decimal("-3.00"),
    }
    assert february["total"] == "0.00"
    # The January lines are untouched; the reversal points at their run.
    assert client.get(f"/api/v1/commission-runs/{january['id']}", headers=admin).get_json()["total"] == "23.09"
    assert {r["r"] for r in ledger_lines(cypher) if r["k"] == "reversal"} == {january["id"]}
    # Asking again reverses nothing twice.
    _run(client, admin, "2024-02-01", "2024-03-01")
    assert len([r for r in ledger_lines(cypher) if r["k"] == "reversal"]) == 3
    # The run's statements (what compliance reads) per beneficiary and currency, with the amounts per
    # kind and month of the order paid on: O3's lines in February, O1's reversals in January, written once.
    statements = cypher("MATCH (s:Statement {run_id: $id}) RETURN s.beneficiary_id AS b, s.currency AS c, "
                        "s.total_minor AS t, s.lines AS n, s.order_kinds AS k, s.order_months AS m, s.amounts AS a",
                        id=february["id"])
    assert sorted((r["b"], r["c"], r["t"], r["n"], r["k"], r["m"], r["a"]) for r in statements) == [
        ("A", "USD", 0, 2, ["retail", "retail"], [202401, 202402], [-500, 500]),
        ("D", "USD", 0, 2, ["retail", "retail"], [202401, 202402], [-1000, 1000]),
        ("F", "USD", 0, 2, ["retail", "retail"], [202401, 202402], [-300, 300])]


def test_statement_and_export(client, admin, programme, cypher, settings):
    _plan(client, admin, compression=True)
    run = _run(client, admin)
    statement = client.get(f"/api/v1/members/A/commissions?run={run['id']}", headers=admin).get_json()
    assert statement["total"] == "5.06" and statement["currency"] == "USD"
    assert [(l["order_id"], l["level"], l["rate"], l["amount"], l["kind"], l["order_kind"]) for l in statement["lines"]] == [
        ("O1", 2, "0.05", "5.00", "commission", "retail"),
        ("O5", 1, "0.10", "0.02", "commission", "retail"),
        ("O6", 1, "0.10", "0.04", "commission", "retail"),
    ]
    assert client.get(f"/api/v1/members/S/commissions?run={run['id']}", headers=admin).get_json()["total"] == "0"
    assert client.get("/api/v1/members/A/commissions?run=run-nope", headers=admin).status_code == 404
    export = run_cli(settings, "commissions", "export", "--run", run["id"])
    assert export.returncode == 0, export.stderr
    assert export.stdout == "beneficiary_id,total,currency\nA,5.06,USD\nD,10.00,USD\nF,8.03,USD\n"
    unknown = run_cli(settings, "commissions", "export", "--run", "run-nope")
    assert (unknown.returncode, unknown.stdout) == (1, "")  # not even the header
    assert unknown.stderr.strip().splitlines() == ["Error: commission run run-nope does not exist"]


def test_cli_plan_and_run(client, admin, programme, settings, tmp_path):
    plan = tmp_path / "plan.json"
    plan.write_text('{"id": "CLI", "rates": ["0.10", "0.05", "0.03", "0.02"], "compression": true, '
                    '"commissionable_kinds": ["retail", "personal"]}')
    assert run_cli(settings, "plans", "put", str(plan)).returncode == 0
    run = run_cli(settings, "commissions", "run", "--plan", "CLI", "--from", "2024-01-01", "--to", "2024-02-01")
    assert run.returncode == 0, run.stderr
    run_id, summary = run.stdout.strip().splitlines()
    assert summary == "CLI v1  2024-01-01 to 2024-02-01  complete  8 lines  23.09 USD"
    body = client.get(f"/api/v1/commission-runs/{run_id}", headers=admin).get_json()
    assert (body["total"], body["lines"], body["plan_version"]) == ("23.09", 8, 1)
    plan.write_text('{"id": "CLI", "rates": ["1.5"], "compression": true, "commissionable_kinds": ["retail"]}')
    bad = run_cli(settings, "plans", "put", str(plan))
    assert bad.returncode == 1 and len(bad.stderr.strip().splitlines()) == 1


def test_plan_versions_are_kept_and_bad_plans_refused(client, admin):
    first = _plan(client, admin, compression=True)
    assert _plan(client, admin, compression=True)["version"] == first["version"] == 1
    assert _plan(client, admin, compression=False)["version"] == 2
    bad = [
        {"rates": ["0.6", "0.5"], "compression": True, "commissionable_kinds": ["retail"]},
        {"rates": ["1.0"], "compression": True, "commissionable_kinds": ["retail"]},
        {"rates": ["-0.1"], "compression": True, "commissionable_kinds": ["retail"]},
        {"rates": [], "compression": True, "commissionable_kinds": ["retail"]},
        {"rates": ["0.01"] * 21, "compression": True, "commissionable_kinds": ["retail"]},
        {"rates": ["abc"], "compression": True, "commissionable_kinds": ["retail"]},
        {"rates": ["0.1"], "compression": True, "commissionable_kinds": ["gift"]},
        {"rates": ["0.1"], "compression": True, "commissionable_kinds": ["retail"], "version": 9},
    ]
    for body in bad:
        response = client.put("/api/v1/plans/P", json=body, headers=admin)
        assert response.status_code == 422, body
        assert response.get_json()["errors"]
    assert client.get("/api/v1/plans/P", headers=admin).get_json()["version"] == 2


START, END = datetime(2024, 1, 1, tzinfo=timezone.utc), datetime(2024, 2, 1, tzinfo=timezone.utc)


@st.composite
def programmes(draw):
    n = draw(st.integers(1, 9))
    ids = [f"M{i}" for i in range(n)]
    sponsor_of = {ids[0]: None} | {ids[i]: draw(st.one_of(st.none(), st.sampled_from(ids[:i]))) for i in range(1, n)}
    status_of = {m: draw(st.sampled_from(["active", "active", "inactive", "terminated"])) for m in ids}
    orders = [
        {"id": f"O{j}", "seller_id": draw(st.sampled_from(ids)),
         "amount": str(Decimal(draw(st.integers(0, 100_000))) / 100),
         "kind": draw(st.sampled_from(["retail", "personal", "enrollment", "inventory"])),
         "status": draw(st.sampled_from(["paid", "paid", "refunded"])),
         "at": datetime(2024, 1, 1, tzinfo=timezone.utc).replace(
             month=draw(st.sampled_from([1, 1, 2])), day=draw(st.integers(1, 28)))}
        for j in range(draw(st.integers(0, 12)))
    ]
    rates = [str(Decimal(draw(st.integers(0, 200_000))) / 1_000_000) for _ in range(draw(st.integers(1, 4)))]
    return sponsor_of, status_of, orders, rates, draw(st.booleans()), draw(st.sets(st.sampled_from(
        ["retail", "personal", "enrollment", "inventory"]), min_size=1))


@hsettings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=programmes())
def test_ledger_equals_the_oracle_to_the_cent(client, admin, services, clean_cypher, case):
    sponsor_of, status_of, orders, rates, compression, kinds = case
    clean_cypher("MATCH (n) WHERE n:Member OR n:Order OR n:LedgerBatch OR n:StatementPart OR n:Statement "
                 "OR n:CommissionRun OR n:Plan DETACH DELETE n")
    members = "id,sponsor_id,joined_at,status,country\n" + "".join(
        f"{m},{s or ''},2023-01-01T00:00:00Z,{status_of[m]},US\n" for m, s in sponsor_of.items())
    assert post_csv(client, "members", members, admin).status_code == 200
    if orders:
        body = "id,seller_id,buyer_id,amount,currency,kind,at,status\n" + "".join(
            f"{o['id']},{o['seller_id']},,{o['amount']},USD,{o['kind']},{o['at'].isoformat()},{o['status']}\n"
            for o in orders)
        assert post_csv(client, "orders", body, admin).status_code == 200
    services.commissions.put_plan("P", rates, compression, sorted(kinds))
    run = services.commissions.run("P", START, END)
    expected = commission_oracle(sponsor_of, status_of, orders, rates, compression, kinds, START, END)
    ledger = {(o, b, l): a for (o, b, l, k), a in _ledger(clean_cypher, run["id"]).items()}
    assert ledger == expected
    for order in orders:
        paid = sum((a for (o, _, _), a in ledger.items() if o == order["id"]), Decimal(0))
        # Each line is rounded to the cent, so the cap holds up to half a cent per level.
        cap = sum(Decimal(r) for r in rates) * Decimal(order["amount"]) + Decimal("0.005") * len(rates)
        assert paid <= cap
    again = services.commissions.run("P", START, END)
    assert again == run
    assert len(_ledger(clean_cypher, run["id"])) == len(expected)


def test_identical_runs_at_the_same_moment_pay_once_and_write_each_statement_once(client, admin, programme,
                                                                                 services, cypher):
    from concurrent.futures import ThreadPoolExecutor

    _plan(client, admin, compression=True)
    with ThreadPoolExecutor(max_workers=6) as pool:
        runs = list(pool.map(lambda _: services.commissions.run("P", "2024-01-01", "2024-02-01"), range(6)))
    assert len({r["id"] for r in runs}) == 1 and {r["status"] for r in runs} == {"complete"}
    assert len(_ledger(cypher, runs[0]["id"])) == 8  # the compression test's eight lines, none twice
    # The oracle: the run's lines summed by hand, one row per statement key.
    lines = {}
    for r in ledger_lines(cypher, runs[0]["id"]):
        lines[(r["b"], r["c"])] = lines.get((r["b"], r["c"]), 0) + r["a"]
    statements = cypher("MATCH (s:Statement {run_id: $id}) RETURN s.beneficiary_id AS b, s.currency AS c, "
                        "s.total_minor AS t", id=runs[0]["id"])
    assert sorted((r["b"], r["c"]) for r in statements) == sorted(lines)  # each key once
    assert {(r["b"], r["c"]): r["t"] for r in statements} == lines


def test_a_plan_changed_after_its_run_answers_409_naming_the_run(client, admin, programme):
    _plan(client, admin, compression=True)
    first = _run(client, admin)
    body = {"rates": ["0.20"], "compression": True, "commissionable_kinds": ["retail"]}
    assert client.put("/api/v1/plans/P", json=body, headers=admin).get_json()["version"] == 2
    again = client.post("/api/v1/commission-runs", json={"plan_id": "P", "from": "2024-01-01", "to": "2024-02-01"},
                        headers=admin)
    assert again.status_code == 409
    assert first["id"] in again.get_json()["detail"] and "version 1" in again.get_json()["detail"]
    assert "version 2" in again.get_json()["detail"]


def test_a_refund_is_reversed_by_the_plan_that_paid_it_not_another(client, admin, programme, cypher):
    _plan(client, admin, compression=True)  # P pays retail and personal orders
    inventory = {"rates": ["0.10"], "compression": True, "commissionable_kinds": ["inventory"]}
    assert client.put("/api/v1/plans/Q", json=inventory, headers=admin).status_code == 200
    january = _run(client, admin)
    refund = ORDERS.splitlines()[0] + "\nO1,S,,100.00,USD,retail,2024-01-10T12:00:00Z,refunded,c1\n"
    assert post_csv(client, "orders", refund, admin).status_code == 200
    other = _run(client, admin, "2024-02-01", "2024-03-01", plan_id="Q")
    assert [r for r in ledger_lines(cypher, other["id"]) if r["k"] == "reversal"] == []
    february = _run(client, admin, "2024-02-01", "2024-03-01")
    reversals = sorted(({"b": r["b"], "a": r["a"], "r": r["r"]} for r in ledger_lines(cypher, february["id"])
                        if r["k"] == "reversal"), key=lambda r: r["b"])
    # A plan that would pay P's orders again over an overlapping period is refused, naming the run.
    retail = {"rates": ["0.10"], "compression": True, "commissionable_kinds": ["retail"]}
    assert client.put("/api/v1/plans/R", json=retail, headers=admin).status_code == 200
    again = client.post("/api/v1/commission-runs", json={"plan_id": "R", "from": "2024-01-15", "to": "2024-02-15"},
                        headers=admin)
    assert again.status_code == 409 and january["id"] in again.get_json()["detail"]
    # O1 paid D 10.00, A 5.00, F 3.00 in January.
    assert reversals == [{"b": "A", "a": -500, "r": january["id"]}, {"b": "D", "a": -1000, "r": january["id"]},
                         {"b": "F", "a": -300, "r": january["id"]}]


def test_a_plan_id_that_could_never_be_run_is_refused(client, admin):
    body = {"rates": ["0.10"], "compression": True, "commissionable_kinds": ["retail"]}
    response = client.put("/api/v1/plans/=1+1", json=body, headers=admin)
    assert response.status_code == 422 and "id" in response.get_json()["errors"]


def test_a_run_that_fails_ends_failed_with_its_reason_and_a_rerun_resumes(client, admin, programme, raw_driver,
                                                                          settings, cypher):
    _plan(client, admin, compression=True)
    # An amount no import accepts, written behind the API's back: the run's arithmetic overflows.
    raw_driver.execute_query("MATCH (o:Order {id: 'O2'}) SET o.amount_minor = 4611686018427387904",
                             database_=settings.neo4j_database)
    failed = client.post("/api/v1/commission-runs", json={"plan_id": "P", "from": "2024-01-01", "to": "2024-02-01"},
                         headers=admin)
    assert failed.status_code == 500
    runs = cypher("MATCH (r:CommissionRun) RETURN r.id AS id, r.status AS status, r.error AS error")
    assert len(runs) == 1 and runs[0]["status"] == "failed" and "overflow" in runs[0]["error"].lower()
    shown = client.get(f"/api/v1/commission-runs/{runs[0]['id']}", headers=admin).get_json()
    assert (shown["status"], shown["error"]) == ("failed", runs[0]["error"])
    raw_driver.execute_query("MATCH (o:Order {id: 'O2'}) SET o.amount_minor = 5000", database_=settings.neo4j_database)
    resumed = _run(client, admin)
    assert (resumed["id"], resumed["status"], resumed["error"], resumed["total"]) == (runs[0]["id"], "complete", None,
                                                                                    "23.09")


def _adjust(client, admin):
    response = client.post("/api/v1/commission-runs", headers=admin, json={
        "plan_id": "P", "from": "2024-01-01", "to": "2024-02-01", "adjust": True})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_an_adjustment_run_pays_only_the_difference_under_the_new_version(client, admin, programme, cypher):
    _plan(client, admin, compression=True)
    first = _run(client, admin)  # 23.09 in eight lines (see the compression test)
    v2 = {"rates": ["0.20"], "compression": True, "commissionable_kinds": ["retail"]}
    assert client.put("/api/v1/plans/P", json=v2, headers=admin).get_json()["version"] == 2
    adjustment = _adjust(client, admin)
    # Version 2 owes 20% at level 1 only: O1 D 20.00, O2 F 10.00, O5 A 0.05, O6 A 0.07 (30.12 in all).
    assert _ledger(cypher, adjustment["id"]) == {
        ("O1", "D", 1, "adjustment"): Decimal("10.00"),   # 20.00 owed, 10.00 paid
        ("O1", "A", 2, "adjustment"): Decimal("-5.00"),   # level 2 no longer paid
        ("O1", "F", 3, "adjustment"): Decimal("-3.00"),
        ("O2", "F", 1, "adjustment"): Decimal("5.00"),
        ("O5", "A", 1, "adjustment"): Decimal("0.03"),
        ("O5", "F", 2, "adjustment"): Decimal("-0.01"),
        ("O6", "A", 1, "adjustment"): Decimal("0.03"),
        ("O6", "F", 2, "adjustment"): Decimal("-0.02"),
    }
    assert (adjustment["adjusts"], adjustment["plan_version"], adjustment["total"]) == (first["id"], 2, "7.03")
    assert sum(_ledger(cypher, first["id"]).values()) == Decimal("23.09")  # the run itself is untouched
    # Asking again finds the same adjustment run; nothing is paid twice.
    assert _adjust(client, admin)["id"] == adjustment["id"]
    assert len(ledger_lines(cypher)) == 16
    # Back to version 1's rates as version 3: the next adjustment undoes the first one exactly.
    v3 = {"rates": RATES, "compression": True, "commissionable_kinds": ["retail"]}
    assert client.put("/api/v1/plans/P", json=v3, headers=admin).get_json()["version"] == 3
    undo = _adjust(client, admin)
    assert undo["id"] != adjustment["id"] and undo["total"] == "-7.03"
    assert {k: -v for k, v in _ledger(cypher, undo["id"]).items()} == _ledger(cypher, adjustment["id"])
    # A refund of O1 reverses every line paid on it, adjustments included: net 10.00, 5.00, 3.00.
    refund = ORDERS.splitlines()[0] + "\nO1,S,,100.00,USD,retail,2024-01-10T12:00:00Z,refunded,c1\n"
    assert post_csv(client, "orders", refund, admin).status_code == 200
    february = _run(client, admin, "2024-02-01", "2024-03-01")
    reversed_ = {}
    for r in ledger_lines(cypher, february["id"]):
        if r["k"] == "reversal":
            o, a, n = reversed_.get(r["b"], (r["o"], 0, 0))
            reversed_[r["b"]] = (o, a + r["a"], n + 1)
    assert [{"o": o, "b": b, "a": a, "n": n} for b, (o, a, n) in sorted(reversed_.items())] == [{"o": "O1", "b": "A", "a": -500, "n": 3}, {"o": "O1", "b": "D", "a": -1000, "n": 3},
                         {"o": "O1", "b": "F", "a": -300, "n": 3}]


def test_migrate_converts_an_unfinished_run_of_the_older_shape_and_the_resumed_run_pays_nothing_twice(
        client, admin, programme, cypher, settings):
    _plan(client, admin, compression=True)
    run = _run(client, admin)
    expected = _ledger(cypher, run["id"])
    # The ledger as an older release left it, the run cut off before it completed.
    as_older_ledger(cypher)
    cypher("MATCH (r:CommissionRun) SET r.status = 'running' REMOVE r.totals_at")
    migrated = run_cli(settings, "db", "migrate")
    assert migrated.returncode == 0 and "Converted 1 commission run(s)" in migrated.stdout, migrated.stderr
    names = [r["name"] for r in cypher("SHOW INDEXES YIELD name RETURN name")]
    assert "commission_line_unique" not in names and "commission_run_id" not in names
    assert cypher("MATCH (c) WHERE c:Commission OR c:CommissionTotal RETURN count(c) AS n") == [{"n": 0}]
    resumed = _run(client, admin)
    assert (resumed["id"], resumed["total"], resumed["lines"]) == (run["id"], "23.09", 8)
    assert _ledger(cypher, run["id"]) == expected


def test_runs_and_plans_are_listed_newest_first_and_filtered(client, admin, programme, settings):
    _plan(client, admin, compression=True)
    inventory = {"rates": ["0.10"], "compression": True, "commissionable_kinds": ["inventory"]}
    assert client.put("/api/v1/plans/Q", json=inventory, headers=admin).status_code == 200
    assert client.put("/api/v1/plans/Q", json={**inventory, "rates": ["0.20"]}, headers=admin).status_code == 200
    january, february = _run(client, admin), _run(client, admin, "2024-02-01", "2024-03-01")
    other = _run(client, admin, plan_id="Q")
    listed = client.get("/api/v1/commission-runs?limit=2", headers=admin).get_json()
    assert [r["id"] for r in listed["items"]] == [other["id"], february["id"]]
    rest = client.get(f"/api/v1/commission-runs?limit=2&cursor={listed['next_cursor']}", headers=admin).get_json()
    assert [r["id"] for r in rest["items"]] == [january["id"]] and rest["next_cursor"] is None
    assert rest["items"][0] == january  # the same record GET /commission-runs/{id} shows
    of_p = client.get("/api/v1/commission-runs?plan_id=P&status=complete", headers=admin).get_json()["items"]
    assert [r["id"] for r in of_p] == [february["id"], january["id"]]
    assert client.get("/api/v1/commission-runs?status=failed", headers=admin).get_json()["items"] == []
    assert client.get("/api/v1/commission-runs?status=lost", headers=admin).status_code == 400
    plans = client.get("/api/v1/plans", headers=admin).get_json()["items"]
    assert [(p["id"], p["version"], p["versions"], p["rates"]) for p in plans] == [
        ("P", 1, [1], RATES), ("Q", 2, [1, 2], ["0.20"])]
    versions = client.get("/api/v1/plans/Q/versions", headers=admin).get_json()["items"]
    assert [(v["version"], v["rates"]) for v in versions] == [(1, ["0.10"]), (2, ["0.20"])]
    assert client.get("/api/v1/plans/NOPE/versions", headers=admin).status_code == 404
    shown = run_cli(settings, "commissions", "runs", "--plan", "P")
    assert shown.returncode == 0 and shown.stdout.splitlines() == [
        f"{february['id']}  P v1  2024-02-01 to 2024-03-01  complete  3 lines  18.00 USD",
        f"{january['id']}  P v1  2024-01-01 to 2024-02-01  complete  8 lines  23.09 USD"]
    assert run_cli(settings, "plans", "list").stdout.splitlines()[1].startswith("Q  version 2 (of 2)  rates 0.20")


def test_a_statement_in_two_currencies_has_a_total_per_currency(client, admin, programme):
    euro = ORDERS.splitlines()[0] + "\nO9,S,,50.00,EUR,retail,2024-01-20T00:00:00Z,paid,c9\n" \
                                    "O10,S,,1000,JPY,retail,2024-01-21T00:00:00Z,paid,c10\n"
    assert post_csv(client, "orders", euro, admin).status_code == 200
    _plan(client, admin, compression=True)
    run = _run(client, admin)
    statement = client.get(f"/api/v1/members/D/commissions?run={run['id']}", headers=admin)
    assert statement.status_code == 200, statement.get_json()
    body = statement.get_json()
    # D is S's first active upline: 10% of O1 (100.00 USD), O9 (50.00 EUR) and O10 (1000 JPY).
    assert body["totals"] == [{"currency": "EUR", "total": "5.00"}, {"currency": "JPY", "total": "100"},
                              {"currency": "USD", "total": "10.00"}]
    assert (body["total"], body["currency"]) == (None, None)
    single = client.get(f"/api/v1/members/F/commissions?run={run['id']}", headers=admin).get_json()
    assert [t["currency"] for t in single["totals"]] == ["EUR", "JPY", "USD"]  # F is paid on them too
    nobody = client.get(f"/api/v1/members/S/commissions?run={run['id']}", headers=admin).get_json()
    assert (nobody["total"], nobody["currency"], nobody["totals"]) == ("0", None, [])


def test_a_cli_date_error_shows_the_expected_format(settings):
    result = run_cli(settings, "commissions", "run", "--plan", "P", "--from", "2025-13-01", "--to", "2025-02-01")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "Error: from is not a date or time (from: A date (2024-03-01) or a zoned ISO-8601 time.)"]


def test_a_statement_pages_through_a_member_s_lines_in_order(client, admin, programme, cypher):
    # Twelve more orders by S in January: D earns 10% of each, 1.00 to 12.00.
    extra = ORDERS.splitlines()[0] + "\n" + "".join(
        f"P{i:02d},S,,{i * 10}.00,USD,retail,2024-01-{i + 10:02d}T00:00:00Z,paid,c{i}\n" for i in range(1, 13))
    assert post_csv(client, "orders", extra, admin).status_code == 200
    _plan(client, admin, compression=True)
    run = _run(client, admin)
    # Every line of D, in (order, level, kind) order, as the oracle: O1 10.00 and P01..P12.
    expected = [("O1", "10.00")] + [(f"P{i:02d}", f"{i}.00") for i in range(1, 13)]
    seen, cursor, pages = [], None, 0
    while True:
        page = client.get("/api/v1/members/D/commissions", query_string={
            "run": run["id"], "limit": 5, **({"cursor": cursor} if cursor else {})}, headers=admin).get_json()
        pages += 1
        seen += [(line["order_id"], line["amount"]) for line in page["lines"]]
        # Every page carries the run's totals for D: 10.00 + (1 + ... + 12) = 88.00.
        assert (page["total"], page["totals"]) == ("88.00", [{"currency": "USD", "total": "88.00"}])
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == expected and pages == 3
    # A run still running has no totals yet.
    cypher("MATCH (r:CommissionRun {id: $id}) SET r.status = 'running'", id=run["id"])
    running = client.get(f"/api/v1/members/D/commissions?run={run['id']}&limit=1", headers=admin).get_json()
    assert (running["totals"], running["total"], len(running["lines"])) == (None, None, 1)
    bad = client.get(f"/api/v1/members/D/commissions?run={run['id']}&cursor=nope", headers=admin)
    assert bad.status_code == 422
