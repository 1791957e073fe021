"""``graphsvc import --first-load``: an empty local database filled offline by
neo4j-admin holds exactly what the transactional import writes, and a bad file
is refused with the import's own report before the server is touched.

The first load stops and restarts its server, so it runs on a second server of
its own (own folder, own port); the transactional import, the oracle, runs on
the session's server.
"""

import csv
import os
import re
import subprocess
import sys

import pytest
from neo4j import GraphDatabase

from graphsvc import schema, settings as settings_module
from graphsvc.errors import Conflict, Invalid
from graphsvc.localneo4j import LocalNeo4j, Neo4jError
from graphsvc.network.firstload import FirstLoad
from graphsvc.network.generator import generate
from graphsvc.services import Services

pytestmark = pytest.mark.skipif(bool(os.environ.get("NEO4J_URI")), reason="manages a local server")

# Bookkeeping is left out: audit events, and the network lock a transactional members import takes.
NODES = "MATCH (n) WHERE NOT n:AuditEvent AND NOT n:NetworkLock AND NOT n:Import RETURN labels(n) AS labels, properties(n) AS p"
RELATIONSHIPS = ("MATCH (a)-[r]->(b) RETURN type(r) AS type, coalesce(a.id, a.hash) AS a, "
                 "coalesce(b.id, b.hash) AS b, properties(r) AS p")


@pytest.fixture(scope="module")
def own_env(tmp_path_factory, settings):
    var = tmp_path_factory.mktemp("first-load")
    return {**os.environ, "GRAPHSVC_VAR_DIR": str(var), "NEO4J_BOLT_PORT": "17699",
            "NEO4J_HEAP": "512m", "NEO4J_PAGECACHE": "128m",
            "GRAPHSVC_NEO4J_DIST": str(settings.neo4j_dist_dir),
            # The same key as the session's server, so identifier hashes compare.
            "GRAPHSVC_IDENTIFIER_SECRET": settings.identifier_secret.decode()}


@pytest.fixture(scope="module")
def own(own_env):
    """The second server's services, its server, and a function emptying its database."""
    own_settings = settings_module.load(own_env)
    server = LocalNeo4j(own_settings)
    server.start(echo=lambda _: None)
    services = Services.build(own_settings)
    driver = GraphDatabase.driver(own_settings.neo4j_uri, auth=(own_settings.neo4j_user, own_settings.neo4j_password))

    def query(text):
        # No bookmarks: a first load replaces the store, so older bookmarks name transactions it lacks.
        records = driver.execute_query(text, database_=own_settings.neo4j_database, bookmark_manager_=None).records
        return [r.data() for r in records]

    def empty():
        query("MATCH (n) DETACH DELETE n")

    yield services, server, query, empty
    driver.close()
    services.close()
    server.stop(echo=lambda _: None)


@pytest.fixture()
def empty_own(own):
    """The second server, its database emptied."""
    own[3]()
    return own


ONE_MEMBER = "id,sponsor_id,joined_at,status,country\nM,,2024-01-01T00:00:00Z,active,US\n"


def _graph(query):
    """Every node and relationship, comparable across servers (USES times set at load, and
    the import that wrote a row, which a first load has none of, are left out)."""
    nodes = sorted((sorted(r["labels"]), sorted((k, v) for k, v in r["p"].items() if k != "import_id"))
                   for r in query(NODES))
    relationships = []
    for r in query(RELATIONSHIPS):
        props = r["p"]
        if r["type"] == "USES":
            assert props["first_seen"] is not None and props["last_seen"] is not None
            props = {}
        relationships.append((r["type"], r["a"], r["b"], sorted(props.items())))
    return nodes, sorted(relationships)


def _respell(path, column_rewrites):
    """The same rows with other spellings of the same values (not the canonical form)."""
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    for number, row in enumerate(rows):
        if number % 3 == 0:
            for column, rewrite in column_rewrites.items():
                row[column] = rewrite(row[column])
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _to_offset(value):
    """2024-01-01T10:00:00Z as 2024-01-01T12:00:00+02:00 (the same instant)."""
    date, hour, rest = re.match(r"(.*T)(\d\d)(:.*)Z$", value).groups()
    return f"{date}{int(hour) + 2:02d}{rest}+02:00" if int(hour) < 22 else value


@pytest.mark.parametrize("respelled", [False, True], ids=["canonical", "respelled"])
def test_first_load_writes_exactly_what_the_import_writes(tmp_path, empty_own, own_env, services, clean_cypher, cypher,
                                                          respelled):
    own_services, server, query, empty = empty_own
    data = tmp_path / "data"
    generate(300, data, seed=11, orders_per_member=4)
    if respelled:
        _respell(data / "members.csv", {"joined_at": _to_offset, "status": lambda v: f" {v} "})
        _respell(data / "orders.csv", {"amount": lambda v: v.rstrip("0") or "0", "at": _to_offset,
                                       "currency": str.lower})
        _respell(data / "identifiers.csv", {"value": lambda v: f"  {v.upper()}  "})
    files = [data / f"{kind}.csv" for kind in ("members", "orders", "identifiers")]

    if respelled:
        # In process, by a client that wrote before: its bookmarks name transactions
        # of the store the load replaces, and it must go on working after the load.
        own_services.db.write("network/lock")
        empty()
        loader = FirstLoad(own_services.db, own_services.importer, server, own_services.settings.var_dir / "first-load")
        row_counts = [len(list(csv.DictReader(open(f, newline="")))) for f in files]
        assert [s.rows for s in loader.run(*files, echo=lambda _: None)] == row_counts
    else:
        result = subprocess.run(
            [sys.executable, "-m", "graphsvc", "import", "--first-load", "--members", str(files[0]),
             "--orders", str(files[1]), "--identifiers", str(files[2])],
            env=own_env, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        assert "Imported 300 members rows." in result.stdout
    assert not (own_services.settings.var_dir / "first-load").exists()

    for kind, path in zip(("members", "orders", "identifiers"), files):
        with open(path, newline="") as stream:
            getattr(services.importer, f"import_{kind}")(stream)
    loaded, imported = _graph(query), _graph(cypher)
    assert loaded == imported
    assert len(loaded[0]) > 300 + 1000  # members, orders, identifiers (and the oracle saw them too)
    # The schema is there and online: a first load leaves a ready database.
    assert schema.missing(own_services.db) == []


BAD_FILES = [
    ("members", "id,sponsor_id,joined_at,status,country\nA,,2024-01-01T00:00:00Z,active,US\n"
                "B,NOPE,2024-01-02T00:00:00Z,active,US\nC,C,2024-01-02T00:00:00Z,active,US\n"
                "D,A,2024-02-30T00:00:00Z,active,US\n",
     {"row 3": ["sponsor_id: NOPE does not exist"], "row 4": ["sponsor_id: a member cannot sponsor themselves",
                                                                  "sponsor_id: makes a sponsor cycle C -> C"],
      "row 5": ["joined_at: not an ISO-8601 time with a zone, e.g. 2024-03-01T09:30:00Z"]}),
    ("members", "id,sponsor_id,joined_at,status,country\nA,B,2024-01-01T00:00:00Z,active,US\n"
                "B,A,2024-01-01T00:00:00Z,active,US\n",
     {"row 2": ["sponsor_id: makes a sponsor cycle A -> B -> A"],
      "row 3": ["sponsor_id: makes a sponsor cycle A -> B -> A"]}),
    ("orders", "id,seller_id,buyer_id,amount,currency,kind,at,status\n"
               "O1,M,,10.005,USD,retail,2024-02-01T00:00:00Z,paid\nO2,X,,1.00,USD,retail,2024-02-01T00:00:00Z,paid\n",
     {"row 2": ["amount: USD has 2 minor digits at most"], "row 3": ["seller_id: member X does not exist"]}),
    ("identifiers", "member_id,kind,value\nM,ip,999.1.1.1\nM,email,a@example.com\n",
     {"row 2": ["value: not a usable ip"]}),
]


@pytest.mark.parametrize("kind,body,errors", BAD_FILES, ids=["members", "member-cycle", "orders", "identifiers"])
def test_a_bad_file_is_refused_with_every_bad_row_before_the_server_is_touched(tmp_path, empty_own, kind, body,
                                                                               errors):
    own_services, server, query, _ = empty_own
    members = tmp_path / "members.csv"
    members.write_text(ONE_MEMBER)
    bad = tmp_path / f"{kind}.csv"
    bad.write_text(body)
    pid = server.status().pid
    loader = FirstLoad(own_services.db, own_services.importer, server, tmp_path / "work")
    with pytest.raises(Invalid) as refused:
        loader.run(bad if kind == "members" else members, orders=bad if kind == "orders" else None,
                   identifiers=bad if kind == "identifiers" else None, echo=lambda _: None)
    assert refused.value.errors == errors
    assert server.status().pid == pid  # never stopped
    assert query("MATCH (n) RETURN count(n) AS n") == [{"n": 0}]


def test_a_database_with_data_is_refused_and_kept(tmp_path, empty_own):
    own_services, server, query, _ = empty_own
    query("CREATE (:Member {id: 'KEEP'})")
    members = tmp_path / "members.csv"
    members.write_text(ONE_MEMBER)
    loader = FirstLoad(own_services.db, own_services.importer, server, tmp_path / "work")
    with pytest.raises(Conflict, match="holds 1 nodes"):
        loader.run(members, echo=lambda _: None)
    assert query("MATCH (n) RETURN n.id AS id") == [{"id": "KEEP"}]


def test_first_load_needs_the_local_server_and_members(own_env, tmp_path):
    members = tmp_path / "members.csv"
    members.write_text("id,sponsor_id,joined_at,status,country\n")
    elsewhere = subprocess.run([sys.executable, "-m", "graphsvc", "import", "--first-load", "--members", str(members)],
                               env={**own_env, "NEO4J_URI": "bolt://127.0.0.1:1"}, capture_output=True, text=True)
    assert elsewhere.returncode != 0 and "NEO4J_URI" in elsewhere.stderr
    no_members = subprocess.run([sys.executable, "-m", "graphsvc", "import", "--first-load", "--orders", str(members)],
                                env=own_env, capture_output=True, text=True)
    assert no_members.returncode != 0 and "needs --members" in no_members.stderr


def test_a_failed_offline_import_leaves_an_empty_working_database(tmp_path, empty_own):
    _, server, query, _ = empty_own
    query("CREATE (:Member {id: 'BEFORE'})")
    bad = tmp_path / "members.csv"
    bad.write_text(":ID(Member),id\nnot-a-number,A\n")
    server.stop(echo=lambda _: None)
    try:
        with pytest.raises(Neo4jError, match="neo4j-admin import failed"):
            server.import_full({"Member": bad}, {}, echo=lambda _: None)
    finally:
        server.start(echo=lambda _: None)
    assert query("MATCH (n) RETURN count(n) AS n") == [{"n": 0}]
    query("CREATE (:Member {id: 'AFTER'})")
    assert query("MATCH (n) RETURN n.id AS id") == [{"id": "AFTER"}]
