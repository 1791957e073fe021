"""Interrupted work is rerun to the same result: a killed commission run, and
Neo4j killed (SIGKILL) during an import and during a commission run."""

import csv
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone
from decimal import Decimal

import pytest

from graphsvc.network.generator import generate
from graphsvc.network.importer import INTERRUPTED
from tests.conftest import ledger_lines, post_csv
from tests.oracle import NetworkOracle, commission_oracle

RATES = ["0.08", "0.05", "0.03", "0.02", "0.01"]
KINDS = ["personal", "retail"]
START, END = datetime(2023, 1, 1, tzinfo=timezone.utc), datetime(2026, 1, 1, tzinfo=timezone.utc)


def _load_truth(out):
    with open(out / "members.csv", newline="") as f:
        members = list(csv.DictReader(f))
    with open(out / "orders.csv", newline="") as f:
        orders = [{**o, "at": datetime.fromisoformat(o["at"].replace("Z", "+00:00"))} for o in csv.DictReader(f)]
    sponsor_of = {m["id"]: m["sponsor_id"] or None for m in members}
    status_of = {m["id"]: m["status"] for m in members}
    return commission_oracle(sponsor_of, status_of, orders, RATES, True, KINDS, START, END)


def _ledger(cypher):
    rows = ledger_lines(cypher)
    assert all(r["k"] == "commission" for r in rows)
    keys = [(r["o"], r["b"], r["l"]) for r in rows]
    assert len(keys) == len(set(keys)), "duplicate ledger lines"
    return {(r["o"], r["b"], r["l"]): Decimal(r["a"]) / 100 for r in rows}


def _cli(settings, *args):
    env = {**os.environ, "GRAPHSVC_VAR_DIR": str(settings.var_dir), "NEO4J_BOLT_PORT": str(settings.neo4j_bolt_port)}
    return subprocess.Popen([sys.executable, "-m", "graphsvc", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture()
def network(tmp_path, client, admin, services):
    generate(4000, tmp_path, seed=5, orders_per_member=8)
    for kind in ("members", "orders"):
        assert post_csv(client, kind, (tmp_path / f"{kind}.csv").read_text(), admin).status_code == 200
    services.commissions.put_plan("P", RATES, True, KINDS)
    return tmp_path


def _wait_for(predicate, timeout=120):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def _run_progress(cypher):
    rows = cypher("MATCH (r:CommissionRun) RETURN r.orders_done AS done, r.orders AS total, r.status AS status")
    return rows[0] if rows else None


def test_killed_commission_run_resumes_to_the_uninterrupted_ledger(network, settings, services, cypher):
    process = _cli(settings, "commissions", "run", "--plan", "P", "--from", "2023-01-01", "--to", "2026-01-01")
    _wait_for(lambda: (_run_progress(cypher) or {}).get("done") or process.poll() is not None)
    process.send_signal(signal.SIGKILL)
    process.wait()
    interrupted = _run_progress(cypher)
    assert interrupted["status"] == "running" and 0 < interrupted["done"] < interrupted["total"]
    run = services.commissions.run("P", START, END)
    assert run["status"] == "complete"
    assert _ledger(cypher) == _load_truth(network)


@pytest.mark.skipif(bool(os.environ.get("NEO4J_URI")), reason="kills the local server")
def test_neo4j_killed_during_commission_run(network, settings, services, cypher, local_neo4j):
    failure = []

    def run():
        try:
            services.commissions.run("P", START, END)
        except Exception as exc:  # the database vanished under it
            failure.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    _wait_for(lambda: (_run_progress(cypher) or {}).get("done"))
    local_neo4j.kill()
    worker.join(120)
    assert failure, "the run should have failed when Neo4j died"
    local_neo4j.start(echo=lambda _: None)
    assert services.commissions.run("P", START, END)["status"] == "complete"
    assert _ledger(cypher) == _load_truth(network)


def _writing(cypher, fragment: str) -> bool:
    """Whether another transaction is running a query containing ``fragment``."""
    rows = cypher("SHOW TRANSACTIONS YIELD currentQuery WHERE currentQuery CONTAINS $fragment RETURN count(*) AS n",
                  fragment=fragment)
    return rows[0]["n"] > 0


@pytest.mark.skipif(bool(os.environ.get("NEO4J_URI")), reason="kills the local server")
@pytest.mark.parametrize("kind, members, fragment, count", [
    ("members", 30000, "CREATE (m:Member", "MATCH (m:Member) RETURN count(m) AS n"),
    ("orders", 6000, "CREATE (seller)-[:SOLD]", "MATCH (o:Order) WHERE NOT coalesce(o.import_id, '') IN "
                                                "COLLECT { MATCH (i:Import {status: 'writing'}) RETURN i.id } RETURN count(o) AS n"),
])
def test_neo4j_killed_during_import_leaves_nothing_and_the_rerun_imports_all(
        tmp_path, settings, services, cypher, local_neo4j, clean_cypher, kind, members, fragment, count):
    generate(members, tmp_path, seed=9, orders_per_member=10 if kind == "orders" else 0)
    if kind == "orders":
        assert _cli(settings, "import", "--members", str(tmp_path / "members.csv")).wait() == 0
    before = cypher(count)[0]["n"]
    process = _cli(settings, "import", f"--{kind}", str(tmp_path / f"{kind}.csv"))
    _wait_for(lambda: _writing(cypher, fragment) or process.poll() is not None)
    if kind == "orders":  # until a batch has committed (staged, unpublished), however busy the machine
        _wait_for(lambda: process.poll() is not None or cypher(
            "MATCH (i:Import {status: 'writing'}) MATCH (o:Order {import_id: i.id}) RETURN count(o) AS n")[0]["n"] > 0)
    else:
        time.sleep(1.0)  # well into the file's one transaction
    assert process.poll() is None, "the import ended before it could be interrupted"
    # While the import writes, readers see none of it.
    assert cypher(count)[0]["n"] == before
    local_neo4j.kill()
    assert process.wait(120) == 1
    assert "Neo4j is not reachable" in process.stderr.read()
    local_neo4j.start(echo=lambda _: None)
    # Nothing of the interrupted import stayed: not a member without its edges, not an order.
    assert cypher(count)[0]["n"] == before
    interrupted = cypher("MATCH (i:Import {status: 'writing'}) RETURN collect(i.id) AS ids")[0]["ids"]
    assert len(interrupted) == 1
    if kind == "orders":  # written in committed transactions, invisible to the count above
        assert cypher("MATCH (o:Order {import_id: $id}) RETURN count(o) AS n", id=interrupted[0])[0]["n"] > 0
    assert _cli(settings, "import", f"--{kind}", str(tmp_path / f"{kind}.csv")).wait() == 0
    # The rerun found the interrupted import (its lease ended with the server), removed
    # what it had staged and recorded why.
    assert cypher("MATCH (i:Import {id: $id}) RETURN i.status AS s, i.error AS e", id=interrupted[0]) == [
        {"s": "rolled_back", "e": INTERRUPTED}]
    assert cypher("MATCH (o:Order {import_id: $id}) RETURN count(o) AS n", id=interrupted[0])[0]["n"] == 0
    with open(tmp_path / f"{kind}.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    if kind == "orders":
        expected = {(o["id"], o["seller_id"], o["amount"], o["status"]) for o in rows}
        stored = cypher("MATCH (s:Member)-[:SOLD]->(o:Order) RETURN o.id AS id, s.id AS s, o.amount AS a, "
                        "o.status AS st")
        assert {(r["id"], r["s"], r["a"], r["st"]) for r in stored} == expected and len(stored) == len(expected)
    else:
        # Every member stored with its edge, and each founder's count of everyone below it true.
        oracle = NetworkOracle({m["id"]: m["sponsor_id"] or None for m in rows})
        stored = cypher("MATCH (m:Member) OPTIONAL MATCH (s:Member)-[:REFERRED]->(m) "
                        "RETURN m.id AS id, s.id AS s, m.downline_total AS total")
        assert {r["id"]: r["s"] for r in stored} == oracle.sponsor_of
        founders = [m for m, s in oracle.sponsor_of.items() if s is None]
        assert {r["id"]: r["total"] for r in stored if r["id"] in founders} == {
            f: oracle.downline_total(f) for f in founders}
