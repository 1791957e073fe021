"""What a careless operator or an attacker tries: every write says what it changed,
HEAD, idempotency scope, revocation across processes, Neo4j down during a write."""

import time
from dataclasses import replace

from graphsvc.app import create_app
from graphsvc.db import Database
from graphsvc.services import Services
from tests.conftest import post_csv

MEMBERS = ("id,sponsor_id,joined_at,status,country\nR,,2024-01-01T00:00:00Z,active,US\n"
           "A,R,2024-01-02T00:00:00Z,active,US\nB,R,2024-01-03T00:00:00Z,active,US\n")
PLAN = {"rates": ["0.10", "0.05"], "compression": True, "commissionable_kinds": ["retail"]}


def _latest(client, admin, action):
    items = client.get("/api/v1/audit?limit=50", headers=admin).get_json()["items"]
    return next(e for e in items if e["action"] == action)


def test_every_write_records_what_it_changed(client, admin):
    assert post_csv(client, "members", MEMBERS, admin).status_code == 200
    imported = _latest(client, admin, "POST imports.Import")
    import_id = imported["detail"]["summary"].pop("import_id")
    assert imported["detail"]["summary"] | {"sponsor_changes": []} == {
        "kind": "members", "rows": 3, "written": 3, "created": 3, "unchanged": 0, "changed": 0,
        "sponsor_changes": [], "sponsor_changes_total": 0, "dry_run": False}
    # The audit event names the import's record.
    assert client.get("/api/v1/import?limit=1", headers=admin).get_json()["items"][0]["id"] == import_id
    assert client.put("/api/v1/members/B/sponsor", json={"sponsor_id": "A"}, headers=admin).status_code == 200
    moved = _latest(client, admin, "PUT members.Sponsor")
    assert (moved["detail"]["old_sponsor_id"], moved["detail"]["new_sponsor_id"]) == ("R", "A")
    assert client.put("/api/v1/plans/P", json=PLAN, headers=admin).status_code == 200
    plan = _latest(client, admin, "PUT plans.Plan")
    assert (plan["detail"]["version"], plan["detail"]["rates"]) == (1, ["0.10", "0.05"])
    run = client.post("/api/v1/commission-runs", json={"plan_id": "P", "from": "2024-01-01", "to": "2024-02-01"},
                      headers=admin).get_json()
    paid = _latest(client, admin, "POST commission_runs.CommissionRuns")
    assert (paid["detail"]["run_id"], paid["detail"]["plan_version"]) == (run["id"], 1)
    assert paid["detail"]["from"].startswith("2024-01-01")
    bad = post_csv(client, "members", "id,sponsor_id,joined_at,status,country\nC,NOPE,2024-01-04T00:00:00Z,active,US\n",
                   admin)
    assert bad.status_code == 422
    refused = _latest(client, admin, "POST imports.Import")
    assert refused["outcome"] == "refused 422" and "members import refused" in refused["detail"]["problem"]


def test_head_answers_wherever_get_does(client, admin):
    assert post_csv(client, "members", MEMBERS, admin).status_code == 200
    for path in ("/api/v1/members/A", "/api/v1/members/R/downline", "/api/v1/audit"):
        head = client.head(path, headers=admin)
        assert (head.status_code, head.data) == (200, b""), path


def test_an_idempotency_key_replays_only_the_same_method_and_path(client, admin):
    assert post_csv(client, "members", MEMBERS, admin).status_code == 200
    assert client.put("/api/v1/plans/P", json=PLAN, headers=admin).status_code == 200
    key = {**admin, "Idempotency-Key": "k-1"}
    first = client.post("/api/v1/analysis/runs", json={"kind": "cycles"}, headers=key)
    assert first.status_code == 202
    # The same key on another path is another request, not a reuse with a different body.
    other = client.post("/api/v1/commission-runs", json={"plan_id": "P", "from": "2024-01-01", "to": "2024-02-01"},
                        headers=key)
    assert other.status_code == 201
    replayed = client.post("/api/v1/analysis/runs", json={"kind": "cycles"}, headers=key)
    assert replayed.get_json()["id"] == first.get_json()["id"]
    deadline = time.monotonic() + 60  # let the background run finish before the next test empties the database
    while client.get(f"/api/v1/analysis/runs/{first.get_json()['id']}", headers=admin).get_json()["status"] in (
            "queued", "running"):
        assert time.monotonic() < deadline
        time.sleep(0.1)


def test_a_revoked_key_stops_within_a_second_in_another_process(settings, services, clean_cypher, key_for):
    headers = key_for("admin")
    other = Services.build(settings)  # another worker: its own key cache
    try:
        client = create_app(settings, other).test_client()
        assert client.get("/api/v1/audit", headers=headers).status_code == 200
        services.access.revoke_key(headers["Authorization"].split("_")[1])
        time.sleep(1.2)
        assert client.get("/api/v1/audit", headers=headers).status_code == 401
    finally:
        other.close()


def test_a_write_while_neo4j_is_down_answers_503_not_500(settings, services, clean_cypher, key_for):
    headers = key_for("admin")
    own = Services.build(settings)
    dead = Database(replace(settings, neo4j_uri="bolt://127.0.0.1:9"))  # nothing listens there
    try:
        client = create_app(settings, own).test_client()
        assert client.get("/api/v1/audit", headers=headers).status_code == 200  # the key is now cached
        own.access.db = own.network.db = dead
        response = client.put("/api/v1/members/A/sponsor", json={"sponsor_id": "R"}, headers=headers)
        assert response.status_code == 503 and response.mimetype == "application/problem+json"
        assert response.headers["Retry-After"] == "5"
    finally:
        dead.close()
        own.close()


def test_bad_requests_are_4xx_with_a_reason(client, admin):
    assert post_csv(client, "members", MEMBERS, admin).status_code == 200
    deep = client.put("/api/v1/plans/P", data="[" * 1000 + "]" * 1000, headers={**admin, "Content-Type": "application/json"})
    assert deep.status_code == 400 and "nested too deeply" in deep.get_json()["detail"]
    untyped = client.put("/api/v1/plans/P", data='{"rates": ["0.1"]}', headers=admin)
    assert untyped.status_code == 415 and "Content-Type: application/json" in untyped.get_json()["detail"]
    broken = client.put("/api/v1/plans/P", data='{"rates": [', headers={**admin, "Content-Type": "application/json"})
    assert broken.status_code == 400 and "not valid JSON" in broken.get_json()["detail"]
    depth = client.get("/api/v1/members/R/downline?depth=99", headers=admin)
    assert depth.status_code == 400 and "depth" in depth.get_json()["detail"]
    overflow = client.post("/api/v1/commission-runs", headers=admin,
                           json={"plan_id": "P", "from": "2024-01-01", "to": "9999-12-31T23:59:59-01:00"})
    assert overflow.status_code == 422 and "to" in overflow.get_json()["errors"]


def test_a_crafted_cursor_cannot_page_the_member_itself(client, admin):
    import base64
    import json

    assert post_csv(client, "members", MEMBERS, admin).status_code == 200
    for position in ({"level": 0, "after": ""}, {"level": -1, "after": ""}, {"level": True, "after": ""}):
        cursor = base64.urlsafe_b64encode(json.dumps(position).encode()).decode().rstrip("=")
        response = client.get(f"/api/v1/members/R/downline?cursor={cursor}", headers=admin)
        assert response.status_code == 422 and "cursor" in response.get_json()["errors"], position


def test_a_chunked_body_over_the_limit_is_413_and_writes_nothing(settings, services, clean_cypher, key_for):
    import io

    app = create_app(replace(settings, max_body_bytes=1000), services)
    body = MEMBERS + "".join(f"X{i},R,2024-01-05T00:00:00Z,active,US\n" for i in range(100))
    assert len(body) > 1000
    # As gunicorn passes a chunked request: no Content-Length, the input terminated.
    response = app.test_client().post("/api/v1/import/members", input_stream=io.BytesIO(body.encode()),
                                      headers={**key_for("admin"), "Content-Type": "text/csv"},
                                      environ_overrides={"wsgi.input_terminated": True})
    assert response.status_code == 413 and response.mimetype == "application/problem+json"
    assert clean_cypher("MATCH (m:Member) RETURN count(m) AS n") == [{"n": 0}]
    small = app.test_client().post("/api/v1/import/members", input_stream=io.BytesIO(MEMBERS.encode()),
                                   headers={**key_for("admin"), "Content-Type": "text/csv"},
                                   environ_overrides={"wsgi.input_terminated": True})
    assert small.status_code == 200 and small.get_json()["created"] == 3
