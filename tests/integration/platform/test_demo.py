"""`graphsvc demo` loads a generated network into an empty database, once, and leaves a working admin key."""

import csv
import json
from datetime import datetime, timedelta

from tests.conftest import run_cli


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _expected_attribution(out) -> dict:
    """Each live signup's sponsor and how, by the attribution rules applied to the
    generated files: a named sponsor, a code's member, or the member of the visitor's
    last click in the 30 days before joining."""
    with open(out / "codes.csv") as f:
        member_of = {r["code"]: r["member_id"] for r in csv.DictReader(f)}
    clicks: dict[str, list] = {}
    with open(out / "clicks.csv") as f:
        for r in csv.DictReader(f):
            clicks.setdefault(r["visitor_id"], []).append((_time(r["at"]), r["code"]))
    expected = {}
    with open(out / "signups.jsonl") as f:
        for body in map(json.loads, f):
            joined = _time(body["joined_at"])
            if body.get("sponsor_id"):
                expected[body["id"]] = (body["sponsor_id"], "sponsor")
            elif body.get("code"):
                expected[body["id"]] = (member_of[body["code"]], "code")
            else:
                inside = [c for c in clicks[body["visitor_id"]] if joined - timedelta(days=30) <= c[0] <= joined]
                expected[body["id"]] = (member_of[max(inside)[1]], "click")
    return expected


def test_demo_loads_an_empty_database_once_and_prints_a_key(settings, clean_cypher, app):
    key_file = settings.var_dir / "demo-admin-key"
    key_file.unlink(missing_ok=True)
    first = run_cli(settings, "demo", "--members", "300")
    assert first.returncode == 0, first.stderr
    # 300 generated and 60 planted: three rings of four, a farm of forty, a chain of five, three in a cycle.
    assert clean_cypher("MATCH (m:Member) RETURN count(m) AS n") == [{"n": 360}]
    # The demo analysed what it loaded: the five planted groups and the live alt account with
    # its sponsor (below) are high-risk rings, and the cycle is found.
    assert "high risk rings: 6" in first.stdout and "cycles: 1" in first.stdout, first.stdout
    assert "largest farm: 40" in first.stdout
    # The last 60 days came as live signups after their codes and clicks: nothing refused,
    # each attributed as the rules say, and the alt account on its sponsor's device held.
    for kind in ("codes", "clicks", "signups"):
        assert f"Imported {kind} from" in first.stdout and " 0 refused." in first.stdout.split(
            f"Imported {kind} from")[1].split("\n")[0], first.stdout
    expected = _expected_attribution(settings.var_dir / "demo")
    stored = clean_cypher("MATCH (s:Member)-[r:REFERRED]->(m:Member) WHERE m.id IN $ids "
                          "RETURN m.id AS id, s.id AS sponsor, r.via AS via, r.reasons AS reasons", ids=list(expected))
    assert {r["id"]: (r["sponsor"], r["via"]) for r in stored} == expected
    assert len(expected) > 5 and {"click", "code"} <= {via for _, via in expected.values()}
    assert any("shared_identifier" in (r["reasons"] or []) for r in stored)
    key = key_file.read_text().strip()
    assert key in first.stdout
    response = app.test_client().get("/api/v1/members/M0000000", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200 and response.get_json()["downline_total"] > 0
    again = run_cli(settings, "demo", "--members", "300")
    assert again.returncode == 0 and "already holds members" in again.stdout
    assert clean_cypher("MATCH (m:Member) RETURN count(m) AS n") == [{"n": 360}]
    key_file.unlink()
