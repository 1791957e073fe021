"""Shared fixtures: one real Neo4j per test session, a clean database per test.

The server is the project's own local Neo4j (under var/test, on its own port so
a developer's data is never touched), or the one NEO4J_URI names.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from neo4j import GraphDatabase

from graphsvc import schema, settings as settings_module
from graphsvc.app import create_app
from graphsvc.localneo4j import LocalNeo4j
from graphsvc.services import Services

TEST_ENV = {
    "GRAPHSVC_VAR_DIR": "var/test",
    "NEO4J_BOLT_PORT": "17687",
    "NEO4J_HEAP": "1g",
    "NEO4J_PAGECACHE": "512m",
    "GRAPHSVC_RATE_LIMIT": "100000 per minute",
}


def run_cli(settings, *args):
    """Run the graphsvc command line against the test server, as a user would."""
    env = {**os.environ, "GRAPHSVC_VAR_DIR": str(settings.var_dir), "NEO4J_BOLT_PORT": str(settings.neo4j_bolt_port)}
    return subprocess.run([sys.executable, "-m", "graphsvc", *args], env=env, capture_output=True, text=True)


def _test_settings():
    env = dict(os.environ) if os.environ.get("NEO4J_URI") else {**os.environ, **TEST_ENV}
    return settings_module.load(env)


@pytest.fixture(scope="session")
def settings():
    return _test_settings()


@pytest.fixture(scope="session")
def local_neo4j(settings):
    """The local test server, or None when NEO4J_URI names an outside one."""
    if settings.external_neo4j:
        yield None
        return
    server = LocalNeo4j(settings)
    server.start(echo=lambda _: None)
    yield server
    server.stop(echo=lambda _: None)


@pytest.fixture(scope="session")
def services(settings, local_neo4j):
    built = Services.build(settings)
    schema.migrate(built.db)
    yield built
    built.close()


@pytest.fixture(scope="session")
def raw_driver(settings, services):
    """A driver of the test's own, for oracles and for writing data the API would refuse."""
    driver = GraphDatabase.driver(settings.neo4j_uri, auth=(settings.neo4j_user, settings.neo4j_password))
    yield driver
    driver.close()


@pytest.fixture()
def cypher(raw_driver, settings):
    """Run literal Cypher as a test author (never used by the code under test)."""

    def run(text: str, **params):
        records, _, _ = raw_driver.execute_query(text, params, database_=settings.neo4j_database)
        return [r.data() for r in records]

    return run


@pytest.fixture()
def clean_cypher(raw_driver, settings, cypher):
    """Empty the database for this test and return the :func:`cypher` runner."""
    with raw_driver.session(database=settings.neo4j_database) as session:
        # CALL ... IN TRANSACTIONS needs an auto-commit transaction.
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
    return cypher


@pytest.fixture()
def app(settings, services, clean_cypher):
    return create_app(settings, services)


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def key_for(services, clean_cypher):
    """Authorization headers for a new key of the given role (and member scope)."""

    def make(role: str = "admin", member_id: str | None = None) -> dict:
        key, _ = services.access.create_key(role, member_id)
        return {"Authorization": f"Bearer {key}"}

    return make


@pytest.fixture()
def admin(key_for):
    return key_for("admin")


def post_csv(client, kind: str, text: str, headers: dict):
    return client.post(f"/api/v1/import/{kind}", data=text.encode(), headers={**headers, "Content-Type": "text/csv"})


# Every ledger line as a row, read by hand from the statement parts (each part holds one
# beneficiary's lines of one batch as parallel lists).
LEDGER_LINES = """
MATCH (p:StatementPart)
WHERE $run_id IS NULL OR p.run_id = $run_id
UNWIND range(0, size(p.order_ids) - 1) AS i
RETURN p.run_id AS run, p.order_ids[i] AS o, p.beneficiary_id AS b, p.levels[i] AS l, p.kind AS k,
       p.generation AS g, p.amounts[i] AS a, p.reverses_run_id AS r, p.currencies[i] AS c,
       p.order_kinds[i] AS ok, p.order_months[i] AS m
"""


def ledger_lines(cypher, run_id=None) -> list[dict]:
    """Every ledger line (of one run), read straight from the store."""
    return cypher(LEDGER_LINES, run_id=run_id)


def as_older_ledger(cypher) -> None:
    """Rewrite every run's ledger as releases before ledger batches left it: a node per
    line (older releases still: no generation), totals per beneficiary, kind and month,
    and their constraint and index; no batches, parts or statements."""
    cypher("CREATE CONSTRAINT commission_line_unique IF NOT EXISTS FOR (c:Commission) "
           "REQUIRE (c.order_id, c.beneficiary_id, c.level, c.kind) IS UNIQUE")
    cypher("CREATE INDEX commission_run_id IF NOT EXISTS FOR (c:Commission) ON (c.run_id)")
    cypher("CALL () {" + LEDGER_LINES.replace("$run_id", "null") + "} CREATE (:Commission {run_id: run, order_id: o, "
           "beneficiary_id: b, level: l, kind: k, amount_minor: a, rate: '0', currency: c, order_kind: ok, "
           "order_month: m, reverses_run_id: r})")
    cypher("MATCH (c:Commission) WITH c.run_id AS run, c.beneficiary_id AS b, c.order_kind AS k, "
           "c.order_month AS m, c.currency AS cur, sum(c.amount_minor) AS a "
           "CREATE (:CommissionTotal {run_id: run, beneficiary_id: b, order_kind: k, order_month: m, currency: cur, "
           "amount_minor: a})")
    cypher("MATCH (n) WHERE n:LedgerBatch OR n:StatementPart OR n:Statement DELETE n")
    cypher("MATCH (r:CommissionRun) REMOVE r.statements_at, r.currencies, r.totals_minor, r.lines_by_currency "
           "SET r.totals_at = datetime()")
