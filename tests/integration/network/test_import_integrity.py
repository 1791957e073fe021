"""A members import follows the rules of a sponsor move, and a re-import says what it changes."""

import csv
import threading
import time
from datetime import datetime, timezone

from graphsvc.domain import ORDER_KINDS
from graphsvc.errors import Conflict, Invalid
from graphsvc.network.generator import generate
from tests.conftest import post_csv

HEADER = "id,sponsor_id,joined_at,status,country\n"
BASE = HEADER + ("R,,2024-01-01T00:00:00Z,active,US\nA,R,2024-01-02T00:00:00Z,active,US\n"
                 "B,R,2024-01-03T00:00:00Z,active,GB\nC,A,2024-01-04T00:00:00Z,inactive,US\n")


def _sponsors(cypher) -> dict:
    rows = cypher("MATCH (m:Member) OPTIONAL MATCH (s:Member)-[:REFERRED]->(m) RETURN m.id AS id, s.id AS s")
    return {r["id"]: r["s"] for r in rows}


def _has_loop(sponsor_of: dict) -> bool:
    for start in sponsor_of:
        seen, member = set(), start
        while member is not None:
            if member in seen:
                return True
            seen.add(member)
            member = sponsor_of.get(member)
    return False


def test_an_import_racing_a_sponsor_move_cannot_close_a_loop(tmp_path, client, admin, services, cypher):
    assert post_csv(client, "members", BASE, admin).status_code == 200
    # A big file (so its transaction is still open when the move comes) that puts A under B.
    generate(20000, tmp_path, seed=3, orders_per_member=0)
    big = (tmp_path / "members.csv").read_text() + "A,B,2024-01-02T00:00:00Z,active,US\n"
    outcome = {}

    def run_import():
        try:
            outcome["import"] = post_csv(client, "members", big, admin).status_code
        except Exception as exc:  # noqa: BLE001 - reported below
            outcome["import"] = exc

    worker = threading.Thread(target=run_import)
    worker.start()
    deadline = time.monotonic() + 60
    # The fragment goes as a parameter, so this query's own text does not match it.
    while not cypher("SHOW TRANSACTIONS YIELD currentQuery WHERE currentQuery CONTAINS $fragment "
                     "RETURN count(*) AS n", fragment="CREATE (m:Member")[0]["n"]:
        assert time.monotonic() < deadline and worker.is_alive(), "the import was never seen writing"
        time.sleep(0.005)
    try:
        services.network.change_sponsor("B", "A")  # B under A while the file puts A under B
        outcome["move"] = 200
    except Conflict:
        outcome["move"] = 409
    worker.join(120)
    assert outcome["import"] == 200, outcome
    assert outcome["move"] == 409, outcome  # the move waited for the import and then saw the loop
    stored = _sponsors(cypher)
    assert not _has_loop(stored) and stored["A"] == "B" and stored["B"] == "R"


def test_a_reimport_counts_what_it_changes_and_a_dry_run_writes_nothing(client, admin, cypher):
    first = client.post("/api/v1/import/members", data=BASE.encode(), headers={**admin, "Content-Type": "text/csv"})
    import_id = first.get_json().pop("import_id")
    assert {k: v for k, v in first.get_json().items() if k != "import_id"} | {"sponsor_changes": []} == {
        "kind": "members", "rows": 4, "written": 4, "created": 4, "unchanged": 0, "changed": 0,
        "sponsor_changes": [], "sponsor_changes_total": 0, "dry_run": False}
    again = post_csv(client, "members", BASE, admin).get_json()
    assert (again["created"], again["unchanged"], again["changed"], again["written"]) == (0, 4, 0, 0)
    # C moves from A to B, B's country changes, D is new.
    edited = BASE.replace("C,A,", "C,B,").replace("active,GB", "active,FR") + "D,C,2024-01-05T00:00:00Z,active,US\n"
    before = cypher("MATCH (n) WHERE NOT n:AuditEvent AND NOT n:ApiKey RETURN count(n) AS n")
    dry = client.post("/api/v1/import/members?dry_run=true", data=edited.encode(),
                      headers={**admin, "Content-Type": "text/csv"}).get_json()
    assert (dry["created"], dry["unchanged"], dry["changed"], dry["written"], dry["dry_run"]) == (1, 2, 2, 0, True)
    assert dry["import_id"] is None
    assert dry["sponsor_changes"] == [{"id": "C", "from": "A", "to": "B"}]
    assert cypher("MATCH (n) WHERE NOT n:AuditEvent AND NOT n:ApiKey RETURN count(n) AS n") == before
    assert _sponsors(cypher)["C"] == "A"
    done = post_csv(client, "members", edited, admin).get_json()
    assert (done["created"], done["unchanged"], done["changed"], done["written"]) == (1, 2, 2, 3)
    assert done["sponsor_changes"] == [{"id": "C", "from": "A", "to": "B"}]
    assert _sponsors(cypher) == {"R": None, "A": "R", "B": "R", "C": "B", "D": "C"}
    # Each import that wrote is recorded, newest first, with its counts.
    records = client.get("/api/v1/import?limit=3", headers=admin).get_json()["items"]
    assert [(r["id"], r["status"], r["rows"], r["created"], r["unchanged"], r["changed"]) for r in records] == [
        (done["import_id"], "complete", 5, 1, 2, 2), (again["import_id"], "complete", 4, 0, 4, 0),
        (import_id, "complete", 4, 4, 0, 0)]


def test_a_reimport_of_orders_counts_changed_rows(client, admin):
    assert post_csv(client, "members", BASE, admin).status_code == 200
    orders = ("id,seller_id,buyer_id,amount,currency,kind,at,status,customer_ref\n"
              "O1,A,,10.00,USD,retail,2024-02-01T00:00:00Z,paid,c1\n"
              "O2,B,C,20.00,USD,personal,2024-02-02T00:00:00Z,paid,\n")
    first = post_csv(client, "orders", orders, admin).get_json()
    assert (first["created"], first["unchanged"], first["changed"]) == (2, 0, 0)
    # The same instant spelled with an offset is unchanged; a refund is a change.
    respelled = orders.replace("2024-02-01T00:00:00Z", "2024-02-01T01:00:00+01:00").replace(
        "20.00,USD,personal,2024-02-02T00:00:00Z,paid", "20.00,USD,personal,2024-02-02T00:00:00Z,refunded")
    second = post_csv(client, "orders", respelled, admin).get_json()
    assert (second["created"], second["unchanged"], second["changed"], second["written"]) == (0, 1, 1, 1)


def test_a_file_refused_against_the_stored_forest_writes_nothing(client, admin, services, cypher):
    assert post_csv(client, "members", BASE, admin).status_code == 200
    import io
    try:
        services.importer.import_members(io.StringIO(HEADER + "E,R,2024-01-06T00:00:00Z,active,US\n"
                                                     "R,C,2024-01-01T00:00:00Z,active,US\n", newline=""))
        raise AssertionError("a loop through stored members must be refused")
    except Invalid as refused:
        assert "cycle" in " ".join(refused.errors["row 3"])
    assert "E" not in _sponsors(cypher)


def _visible_orders(services) -> list[str]:
    """Paid orders as the commission run reads them (a real reader of orders)."""
    return services.db.read("commissions/period_orders", kinds=list(ORDER_KINDS), **{
        "from": datetime(2000, 1, 1, tzinfo=timezone.utc), "to": datetime(2100, 1, 1, tzinfo=timezone.utc)})[0]["ids"]


def test_an_orders_file_that_fails_after_many_transactions_stores_nothing(tmp_path, client, admin, services, cypher):
    generate(5000, tmp_path, seed=4, orders_per_member=8)  # ~40,000 orders: eight write transactions
    assert post_csv(client, "members", (tmp_path / "members.csv").read_text(), admin).status_code == 200
    with open(tmp_path / "orders.csv", newline="") as f:
        last = f.read().rstrip("\n").rsplit("\n", 1)[1].split(",")[0]
    outcome = {}

    def run_import():
        with open(tmp_path / "orders.csv", newline="") as stream:
            try:
                outcome["summary"] = services.importer.import_orders(stream)
            except Conflict as exc:
                outcome["conflict"] = exc

    worker = threading.Thread(target=run_import)
    worker.start()
    deadline = time.monotonic() + 60
    while not cypher("MATCH (o:Order) RETURN count(o) AS n")[0]["n"]:
        assert time.monotonic() < deadline and worker.is_alive(), "the import was never seen writing"
        time.sleep(0.005)
    # While it writes, a live order takes the id of the file's last row, so the import must fail...
    cypher("MATCH (m:Member) WITH m LIMIT 1 CREATE (m)-[:SOLD]->(:Order {id: $id, amount: '1.00', amount_minor: 100, "
           "currency: 'USD', kind: 'retail', status: 'paid', at: datetime()})", id=last)
    # ...and until then, readers see none of its rows (they are stored, tagged with the import).
    assert _visible_orders(services) == [last]
    assert cypher("MATCH (o:Order) RETURN count(o) AS n")[0]["n"] > 1
    worker.join(120)
    assert "conflict" in outcome, outcome
    # Everything it wrote was removed, and the attempt is recorded with the reason.
    assert cypher("MATCH (o:Order) RETURN collect(o.id) AS ids")[0]["ids"] == [last]
    record = client.get("/api/v1/import?limit=1", headers=admin).get_json()["items"][0]
    assert (record["kind"], record["status"]) == ("orders", "failed") and "another import" in record["error"]
    # Without the intruder, the same file goes in whole.
    cypher("MATCH (o:Order {id: $id}) DETACH DELETE o", id=last)
    with open(tmp_path / "orders.csv", newline="") as stream:
        summary = services.importer.import_orders(stream)
    with open(tmp_path / "orders.csv", newline="") as stream:
        paid = sum(1 for row in csv.DictReader(stream) if row["status"] == "paid")
    assert summary.rows == summary.created and len(_visible_orders(services)) == paid
