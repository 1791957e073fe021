"""`graphsvc demo` loads a generated network into an empty database, once, and leaves a working admin key."""

from tests.conftest import run_cli


def test_demo_loads_an_empty_database_once_and_prints_a_key(settings, clean_cypher, app):
    key_file = settings.var_dir / "demo-admin-key"
    key_file.unlink(missing_ok=True)
    first = run_cli(settings, "demo", "--members", "300")
    assert first.returncode == 0, first.stderr
    # 300 generated and 60 planted: three rings of four, a farm of forty, a chain of five, three in a cycle.
    assert clean_cypher("MATCH (m:Member) RETURN count(m) AS n") == [{"n": 360}]
    # The demo analysed what it loaded: the five planted groups are high-risk rings, and the cycle is found.
    assert "high risk rings: 5" in first.stdout and "cycles: 1" in first.stdout, first.stdout
    assert "largest farm: 40" in first.stdout
    key = key_file.read_text().strip()
    assert key in first.stdout
    response = app.test_client().get("/api/v1/members/M0000000", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200 and response.get_json()["downline_total"] > 0
    again = run_cli(settings, "demo", "--members", "300")
    assert again.returncode == 0 and "already holds members" in again.stdout
    assert clean_cypher("MATCH (m:Member) RETURN count(m) AS n") == [{"n": 360}]
    key_file.unlink()
