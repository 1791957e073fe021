"""Keys, roles and member scope: every endpoint in the OpenAPI document is
checked against an expected policy written here, independently of the code."""

import io
import random
import re
from dataclasses import replace
from datetime import datetime

import pytest

from graphsvc.analysis.rings import ring_id
from graphsvc.app import create_app
from graphsvc.network.generator import generate
from tests.conftest import post_csv
from tests.oracle import NetworkOracle

MEMBERS = """id,sponsor_id,joined_at,status,country
R,,2024-01-01T00:00:00Z,active,US
A,R,2024-01-02T00:00:00Z,active,US
A1,A,2024-01-03T00:00:00Z,active,US
B,R,2024-01-04T00:00:00Z,active,US
"""

ALL = {"admin", "app", "compliance", "analyst"}
PLAN = {"rates": ["0.10"], "compression": True, "commissionable_kinds": ["retail"]}
RUN = {"plan_id": "P", "from": "2024-01-01", "to": "2024-02-01"}
# (method, OpenAPI path) -> (roles allowed, whether an app key scoped to A may call it,
#                            the request: url and body; {run} and {analysis} are the fixture's runs).
EXPECTED = {
    ("get", "/api/v1/members"): ({"admin", "compliance", "analyst"}, False, "/api/v1/members?q=A", {}),
    ("get", "/api/v1/members/{member_id}"): (ALL, True, "/api/v1/members/A1", {}),
    ("get", "/api/v1/members/{member_id}/downline"): (ALL, True, "/api/v1/members/A1/downline", {}),
    ("get", "/api/v1/members/{member_id}/upline"): (ALL, True, "/api/v1/members/A1/upline", {}),
    ("put", "/api/v1/members/{member_id}/sponsor"): (
        {"admin", "app"}, False, "/api/v1/members/A1/sponsor", {"json": {"sponsor_id": "A"}}),
    ("post", "/api/v1/members"): ({"admin", "app"}, False, "/api/v1/members", {"json": {
        "id": "NEW", "joined_at": "2024-02-01T00:00:00Z", "status": "active", "country": "US", "sponsor_id": "A1"}}),
    ("get", "/api/v1/members/{member_id}/codes"): ({"admin", "app"}, True, "/api/v1/members/A1/codes", {}),
    ("post", "/api/v1/members/{member_id}/codes"): (
        {"admin", "app"}, True, "/api/v1/members/A1/codes", {"json": {"campaign": "spring"}}),
    ("get", "/api/v1/members/{member_id}/referral-stats"): (
        {"admin", "app"}, True, "/api/v1/members/A1/referral-stats?from=2024-01-01&to=2024-02-01", {}),
    ("get", "/api/v1/referrals"): ({"admin", "compliance"}, False, "/api/v1/referrals?status=held", {}),
    ("post", "/api/v1/referrals/{member_id}/approve"): (
        {"admin", "compliance"}, False, "/api/v1/referrals/H1/approve", {}),
    ("post", "/api/v1/referrals/{member_id}/reject"): (
        {"admin", "compliance"}, False, "/api/v1/referrals/H2/reject", {}),
    ("put", "/api/v1/codes/{code}"): ({"admin"}, False, "/api/v1/codes/{code}", {"json": {"disabled": True}}),
    ("post", "/api/v1/events/clicks"): ({"admin", "app"}, False, "/api/v1/events/clicks", {"json": {"clicks": [
        {"code": "unknown1", "visitor_id": "v", "at": "2024-02-01T00:00:00Z"}]}}),
    ("post", "/api/v1/import/{kind}"): ({"admin"}, False, "/api/v1/import/identifiers", {
        "data": b"member_id,kind,value\nA1,email,x@example.com\n", "content_type": "text/csv"}),
    ("get", "/api/v1/import"): ({"admin"}, False, "/api/v1/import", {}),
    ("post", "/api/v1/orders"): ({"admin", "app"}, False, "/api/v1/orders", {"json": {"orders": [
        {"id": "L1", "seller_id": "A1", "amount": "10.00", "currency": "USD", "kind": "retail",
         "at": "2024-01-05T00:00:00Z", "status": "paid"}]}}),
    ("post", "/api/v1/orders/{order_id}/refund"): ({"admin", "app"}, False, "/api/v1/orders/O1/refund", {}),
    ("get", "/api/v1/audit"): ({"admin"}, False, "/api/v1/audit", {}),
    ("get", "/api/v1/plans"): ({"admin", "app"}, False, "/api/v1/plans", {}),
    ("get", "/api/v1/plans/{plan_id}/versions"): ({"admin", "app"}, False, "/api/v1/plans/P/versions", {}),
    ("get", "/api/v1/plans/{plan_id}"): ({"admin", "app"}, False, "/api/v1/plans/P", {}),
    ("put", "/api/v1/plans/{plan_id}"): ({"admin"}, False, "/api/v1/plans/P", {"json": PLAN}),
    ("post", "/api/v1/commission-runs"): ({"admin"}, False, "/api/v1/commission-runs", {"json": RUN}),
    ("get", "/api/v1/commission-runs"): ({"admin"}, False, "/api/v1/commission-runs", {}),
    ("get", "/api/v1/commission-runs/{run_id}"): ({"admin", "app"}, False, "/api/v1/commission-runs/{run}", {}),
    ("get", "/api/v1/members/{member_id}/commissions"): (
        {"admin", "app"}, True, "/api/v1/members/A1/commissions?run={run}", {}),
    ("put", "/api/v1/reward-rules/{rule_id}"): (
        {"admin"}, False, "/api/v1/reward-rules/W", {"json": {"referrer": {"flat": {"USD": "5.00"}}}}),
    ("get", "/api/v1/reward-rules/{rule_id}"): ({"admin"}, False, "/api/v1/reward-rules/W", {}),
    ("post", "/api/v1/reward-runs"): (
        {"admin"}, False, "/api/v1/reward-runs", {"json": {"rule_id": "W", "through": "2024-03-01T00:00:00Z"}}),
    ("get", "/api/v1/leaderboards"): ({"admin", "app", "analyst"}, False, "/api/v1/leaderboards?at=2024-01-05", {}),
    ("post", "/api/v1/payouts"): ({"admin"}, False, "/api/v1/payouts", {"json": {"through": "2024-03-01"}}),
    ("get", "/api/v1/payouts/{batch_id}"): ({"admin"}, False, "/api/v1/payouts/{payout}", {}),
    ("post", "/api/v1/payouts/{batch_id}/paid"): ({"admin"}, False, "/api/v1/payouts/{payout}/paid", {}),
    ("get", "/api/v1/members/{member_id}/rewards"): ({"admin", "app"}, True, "/api/v1/members/A1/rewards", {}),
    ("get", "/api/v1/members/{member_id}/badges"): ({"admin", "app"}, True, "/api/v1/members/A1/badges", {}),
    ("post", "/api/v1/analysis/runs"): ({"admin", "analyst"}, False, "/api/v1/analysis/runs", {"json": {"kind": "cycles"}}),
    ("get", "/api/v1/analysis/runs"): ({"admin", "analyst", "compliance"}, False, "/api/v1/analysis/runs", {}),
    ("get", "/api/v1/analysis/runs/{run_id}"): (
        {"admin", "analyst", "compliance"}, False, "/api/v1/analysis/runs/{analysis}", {}),
    ("get", "/api/v1/referrers/top"): ({"admin", "analyst"}, False, "/api/v1/referrers/top", {}),
    ("get", "/api/v1/rings"): ({"admin", "compliance"}, False, "/api/v1/rings", {}),
    ("get", "/api/v1/rings/{ring_id}"): ({"admin", "compliance"}, False, "/api/v1/rings/{ring}", {}),
    ("put", "/api/v1/rings/{ring_id}/review"): (
        {"admin", "compliance"}, False, "/api/v1/rings/{ring}/review", {"json": {"status": "confirmed"}}),
    ("get", "/api/v1/cycles"): ({"admin", "compliance"}, False, "/api/v1/cycles", {}),
    ("get", "/api/v1/compliance/program"): (
        {"admin", "compliance"}, False, "/api/v1/compliance/program?from=2024-01-01&to=2024-02-01", {}),
    ("get", "/api/v1/compliance/members/{member_id}"): (
        {"admin", "compliance"}, False, "/api/v1/compliance/members/A1?from=2024-01-01&to=2024-02-01", {}),
    ("get", "/api/v1/compliance/branches"): (
        {"admin", "compliance"}, False, "/api/v1/compliance/branches?from=2024-01-01&to=2024-02-01", {}),
    ("get", "/api/v1/compliance/report"): (
        {"admin", "compliance"}, False, "/api/v1/compliance/report?from=2024-01-01&to=2024-02-01", {}),
    ("get", "/api/v1/kpis"): ({"admin", "analyst"}, False, "/api/v1/kpis?from=2024-01-01&to=2024-02-01", {}),
    ("get", "/api/v1/kpis/at-risk"): (
        {"admin", "analyst"}, False, "/api/v1/kpis/at-risk?from=2024-01-01&to=2024-02-01", {}),
    ("get", "/api/v1/kpis/report"): (
        {"admin", "analyst"}, False, "/api/v1/kpis/report?from=2024-01-01&to=2024-02-01", {}),
}


@pytest.fixture()
def network(client, admin, services):
    assert post_csv(client, "members", MEMBERS, admin).status_code == 200
    services.commissions.put_plan("P", **PLAN)
    services.rewards.put_rule("W", {"referrer": {"flat": {"USD": "5.00"}}})
    services.importer.import_orders(io.StringIO("id,seller_id,buyer_id,amount,currency,kind,at,status\n"
                                                "O1,A1,,10.00,USD,retail,2024-01-04T00:00:00Z,paid\n"))
    # Two members on one card: a ring for the ring endpoints.
    services.importer.import_identifiers(io.StringIO("member_id,kind,value\nA1,card,4111-1\nB,card,4111-1\n"))
    services.analysis.execute(services.analysis.create_run("rings")["id"])
    analysis = services.analysis.create_run("cycles")["id"]
    # Two signups on A1's card: held referrals to approve and reject.
    for held in ("H1", "H2"):
        services.tracking.signup({"id": held, "joined_at": "2024-02-01T00:00:00Z", "status": "active", "country": "US",
                                  "sponsor_id": "A1", "identifiers": [{"kind": "card", "value": "4111-1"}]})
    return {"run": services.commissions.run("P", RUN["from"], RUN["to"])["id"], "analysis": analysis,
            "ring": ring_id(["A1", "B"]), "code": services.tracking.codes("A1")[0]["code"],
            "payout": services.payouts.create("2024-01-01")["id"]}


def _operations(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    return [(method, path) for path, ops in spec["paths"].items() for method in ops if method in ("get", "put", "post", "delete", "patch")]


def _call(client, operation, headers, ids):
    _, _, url, kwargs = EXPECTED[operation]
    url = url.replace("{run}", ids["run"]).replace("{analysis}", ids["analysis"]).replace("{ring}", ids["ring"]) \
        .replace("{code}", ids["code"]).replace("{payout}", ids["payout"])
    return getattr(client, operation[0])(url, headers=headers, **kwargs)


def test_every_documented_operation_has_an_expected_policy(client):
    assert set(_operations(client)) == set(EXPECTED)


def test_role_matrix(client, network, key_for):
    keys = {role: key_for(role) for role in ALL}
    scoped = key_for("app", "A")
    for operation in _operations(client):
        roles, scoped_ok = EXPECTED[operation][:2]
        assert _call(client, operation, {}, network).status_code == 401, operation
        assert _call(client, operation, {"Authorization": "Bearer gsk_nope_nope"}, network).status_code == 401
        for role, headers in keys.items():
            status = _call(client, operation, headers, network).status_code
            if role in roles:
                assert status < 400, (operation, role, status)
            else:
                assert status == 403, (operation, role, status)
        status = _call(client, operation, scoped, network).status_code
        assert (status < 400) if scoped_ok else (status == 403), (operation, "scoped", status)


def test_revoked_key_is_refused_at_once(client, network, services):
    key, record = services.access.create_key("admin")
    headers = {"Authorization": f"Bearer {key}"}
    assert client.get("/api/v1/members/R", headers=headers).status_code == 200
    services.access.revoke_key(record["id"])
    assert client.get("/api/v1/members/R", headers=headers).status_code == 401
    assert all(k["id"] != record["id"] or k["revoked_at"] for k in services.access.list_keys())


def test_stored_key_is_a_hash_not_the_key(client, network, services, cypher):
    key, record = services.access.create_key("admin")
    secret = key.split("_", 2)[2]
    stored = cypher("MATCH (k:ApiKey {id: $id}) RETURN properties(k) AS p", id=record["id"])[0]["p"]
    assert secret not in str(stored)


def test_scoped_keys_never_see_outside_their_subtree(tmp_path, client, admin, key_for):
    generate(1500, tmp_path, seed=11, orders_per_member=0)
    assert post_csv(client, "members", (tmp_path / "members.csv").read_text(), admin).status_code == 200
    oracle = NetworkOracle.from_csv(tmp_path / "members.csv")
    rng = random.Random(2)
    ids = sorted(oracle.sponsor_of)
    kids = oracle.children()
    # Scope roots with real subtrees, and some leaves.
    roots = rng.sample([m for m in ids if kids[m]], 8) + rng.sample(ids, 4)
    scoped = {root: key_for("app", root) for root in roots}
    inside_seen = outside_seen = 0
    for _ in range(300):
        root = rng.choice(roots)
        subtree = {root} | {m for _, m in oracle.downline(root, 10_000)}
        target = rng.choice(sorted(subtree)) if rng.random() < 0.5 else rng.choice(ids)
        expected = 200 if target in subtree else 404
        inside_seen += target in subtree
        outside_seen += target not in subtree
        for suffix in ("", "/downline?depth=2", "/upline"):
            response = client.get(f"/api/v1/members/{target}{suffix}", headers=scoped[root])
            assert response.status_code == expected, (root, target, suffix)
            if expected == 404:
                assert target not in response.get_data(as_text=True).replace(f"member {target} does not exist", "")
    assert inside_seen > 50 and outside_seen > 50


def test_unknown_fields_and_server_owned_fields_are_refused(client, network, admin, cypher):
    before = cypher("MATCH (m:Member {id:'A1'}) RETURN properties(m) AS p")
    for body in ({"sponsor_id": "R", "downline_total": 5}, {"sponsor_id": "R", "id": "Z"},
                 {"sponsor_id": "R", "path": "/Z/"}, {}):
        response = client.put("/api/v1/members/A1/sponsor", json=body, headers=admin)
        assert response.status_code == 422
    assert cypher("MATCH (m:Member {id:'A1'}) RETURN properties(m) AS p") == before


HOSTILE = [
    "' OR 1=1 //", "A1'}) DETACH DELETE m //", "x\") MATCH (n) DETACH DELETE n //", "$id",
    "A1/../R", "%00", "\u0000", "😀" * 50, "A" * 5000, "{id: 'R'}", "`backtick`",
    "1; CALL dbms.killQueries([]) //", "A1\nMATCH (n) DELETE n",
]


def test_hostile_strings_cause_no_server_error_and_change_nothing(client, network, admin, cypher):
    # Audit events and import records say what was refused; nothing else may change.
    snapshot = "MATCH (n) WHERE NOT n:AuditEvent AND NOT n:IdempotencyRecord AND NOT n:Import " \
               "RETURN labels(n) AS l, properties(n) AS p ORDER BY n.id, elementId(n)"
    before = cypher(snapshot)
    for text in HOSTILE:
        quoted = re.sub(r"[/?#%\x00\n]", lambda m: f"%{ord(m.group()):02X}", text)
        responses = [
            client.get(f"/api/v1/members/{quoted}", headers=admin),
            client.get(f"/api/v1/members/{quoted}/downline", headers=admin),
            client.get("/api/v1/members/A1/downline", query_string={"cursor": text}, headers=admin),
            client.get(f"/api/v1/members/{quoted}/upline", headers=admin),
            client.put(f"/api/v1/members/{quoted}/sponsor", json={"sponsor_id": text}, headers=admin),
            client.put("/api/v1/members/A1/sponsor", json={"sponsor_id": text}, headers=admin),
            client.get("/api/v1/audit", query_string={"cursor": text}, headers=admin),
            post_csv(client, "members", f"id,sponsor_id,joined_at,status,country\n\"{text}\",R,"
                     "2024-01-01T00:00:00Z,active,US\n", admin),
        ]
        for response in responses:
            assert response.status_code < 500, (text, response.request.path, response.get_data(as_text=True))
    assert cypher(snapshot) == before


def test_idempotency_key_replays_and_refuses_a_different_body(client, network, admin, cypher):
    body = "member_id,kind,value\nA1,email,once@example.com\n"
    headers = {**admin, "Idempotency-Key": "import-1", "Content-Type": "text/csv"}
    first = client.post("/api/v1/import/identifiers", data=body, headers=headers)
    second = client.post("/api/v1/import/identifiers", data=body, headers=headers)
    assert first.status_code == second.status_code == 200
    assert first.get_json() == second.get_json()
    writes = cypher("MATCH (a:AuditEvent {target: '/api/v1/import/identifiers'}) RETURN count(a) AS n")
    assert writes == [{"n": 1}]
    other = client.post("/api/v1/import/identifiers", data=body.replace("once", "twice"), headers=headers)
    assert other.status_code == 422 and "Idempotency-Key" in other.get_json()["errors"]
    assert cypher("MATCH (i:Identifier {kind: 'email'}) RETURN count(i) AS n") == [{"n": 1}]


def test_every_write_is_audited_with_who_and_outcome(client, network, key_for):
    headers = key_for("admin")
    client.put("/api/v1/members/A1/sponsor", json={"sponsor_id": "B"}, headers=headers)
    client.put("/api/v1/members/R/sponsor", json={"sponsor_id": "A1"}, headers=headers)  # a loop: 409
    events = client.get("/api/v1/audit?limit=2", headers=headers).get_json()["items"]
    key_id = headers["Authorization"].split("_")[1]
    assert [(e["action"], e["target"], e["outcome"], e["key_id"], e["role"]) for e in events] == [
        ("PUT members.Sponsor", "/api/v1/members/R/sponsor", "refused 409", key_id, "admin"),
        ("PUT members.Sponsor", "/api/v1/members/A1/sponsor", "ok", key_id, "admin"),
    ]


def test_audit_pages_with_a_cursor(client, network, admin):
    for sponsor in ("B", "R", "B", "R", "B"):
        client.put("/api/v1/members/A1/sponsor", json={"sponsor_id": sponsor}, headers=admin)
    seen, cursor = [], None
    while True:
        page = client.get("/api/v1/audit", query_string={"limit": 2, **({"cursor": cursor} if cursor else {})},
                          headers=admin).get_json()
        seen += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len({e["id"] for e in seen}) >= 6  # the import and five moves
    # As instants: ISO strings of differing fraction widths ("36.4Z", "36.42Z") do not sort as text.
    instants = [datetime.fromisoformat(e["at"]) for e in seen]
    assert instants == sorted(instants, reverse=True)


def test_oversized_body_is_413(settings, services, clean_cypher, key_for):
    app = create_app(replace(settings, max_body_bytes=1000), services)
    response = app.test_client().post("/api/v1/import/members", data=b"x" * 5000,
                                      headers={**key_for("admin"), "Content-Type": "text/csv"})
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"


def test_rate_limit_per_key_is_429(settings, services, clean_cypher, key_for):
    app = create_app(replace(settings, rate_limit="5 per minute"), services)
    client = app.test_client()
    first, second = key_for("admin"), key_for("admin")
    # One budget per key across the API, not one per endpoint.
    paths = ["/api/v1/members/R", "/api/v1/members/R/upline"] * 4
    statuses = [client.get(path, headers=first).status_code for path in paths[:7]]
    assert statuses[:5] == [404] * 5 and statuses[5:] == [429, 429]
    limited = client.get("/api/v1/members/R", headers=first)
    assert limited.mimetype == "application/problem+json"
    assert limited.headers["Retry-After"] == "60"  # the window of "5 per minute"
    assert client.get("/api/v1/members/R", headers=second).status_code == 404  # another key, its own budget


def test_a_malformed_key_naming_another_key_does_not_spend_its_budget(settings, services, clean_cypher, key_for):
    app = create_app(replace(settings, rate_limit="3 per minute"), services)
    client = app.test_client()
    victim = key_for("admin")
    victim_id = victim["Authorization"].split("_")[1]
    # Not keys at all (wrong prefix, wrong scheme), or the victim's id with a guessed secret.
    forged = [f"Bearer xyz_{victim_id}_guess", f"Basic gsk_{victim_id}_guess"]
    for attempt in forged + [f"Bearer gsk_{victim_id}_guess{i}" for i in range(3)]:
        assert client.get("/api/v1/members/R", headers={"Authorization": attempt}).status_code in (401, 429)
    assert client.get("/api/v1/members/R", headers=victim).status_code == 404


def test_scope_covers_every_parameter_that_names_a_member(client, app, admin, key_for, monkeypatch):
    from graphsvc.api import access

    # A probe endpoint naming members in its path, its query and its JSON body.
    app.add_url_rule("/api/v1/probe/<member_id>", endpoint="probe.Probe", methods=["GET", "POST"],
                     view_func=lambda member_id: {"ok": True})
    assert post_csv(client, "members", MEMBERS, admin).status_code == 200
    monkeypatch.setitem(access.POLICIES, ("probe.Probe", "GET"),
                        access.Rule(frozenset({"app"}), True, ("member_id", "member")))
    monkeypatch.setitem(access.POLICIES, ("probe.Probe", "POST"),
                        access.Rule(frozenset({"app"}), True, ("member_id", "sponsor_id")))
    scoped = key_for("app", "A")  # A's subtree is A and A1; B and R are outside
    assert client.get("/api/v1/probe/A1?member=A", headers=scoped).status_code == 200
    assert client.get("/api/v1/probe/A1?member=B", headers=scoped).status_code == 404
    assert client.get("/api/v1/probe/B?member=A", headers=scoped).status_code == 404
    assert client.post("/api/v1/probe/A1", json={"sponsor_id": "A"}, headers=scoped).status_code == 200
    assert client.post("/api/v1/probe/A1", json={"sponsor_id": "R"}, headers=scoped).status_code == 404
