"""The local server's lifecycle, and the service's behaviour while it is down.

Uses a second server of its own (own folder, own port) so the session's
server keeps running for the other tests.
"""

import os
import socket
import subprocess
import sys

import pytest

from graphsvc import schema, settings as settings_module
from graphsvc.app import create_app
from graphsvc.localneo4j import LocalNeo4j, Neo4jError
from graphsvc.services import Services

pytestmark = pytest.mark.skipif(bool(os.environ.get("NEO4J_URI")), reason="manages a local server")


@pytest.fixture(scope="module")
def own_env(tmp_path_factory):
    var = tmp_path_factory.mktemp("lifecycle")
    return {**os.environ, "GRAPHSVC_VAR_DIR": str(var), "NEO4J_BOLT_PORT": "17697",
            "NEO4J_HEAP": "512m", "NEO4J_PAGECACHE": "128m",
            "GRAPHSVC_NEO4J_DIST": str(settings_module.load().neo4j_dist_dir)}


def _cli(env, *args):
    return subprocess.run([sys.executable, "-m", "graphsvc", *args], env=env, capture_output=True, text=True)


def test_start_twice_status_stop_and_readiness(own_env):
    assert _cli(own_env, "neo4j", "status").returncode == 3
    first = _cli(own_env, "neo4j", "start")
    assert first.returncode == 0, first.stderr
    try:
        again = _cli(own_env, "neo4j", "start")
        assert again.returncode == 0 and "already running" in again.stdout
        status = _cli(own_env, "neo4j", "status")
        assert status.returncode == 0 and "running" in status.stdout

        settings = settings_module.load(own_env)
        services = Services.build(settings)
        app = create_app(settings, services)
        client = app.test_client()
        assert client.get("/readyz").status_code == 503  # schema not applied yet
        assert _cli(own_env, "db", "migrate").returncode == 0
        assert _cli(own_env, "db", "migrate").returncode == 0  # idempotent
        assert client.get("/readyz").status_code == 200
        assert schema.missing(services.db) == []
        key, _ = services.access.create_key("admin")
        headers = {"Authorization": f"Bearer {key}"}

        assert _cli(own_env, "neo4j", "stop").returncode == 0
        down = client.get("/readyz")
        assert down.status_code == 503 and down.get_json()["neo4j"] == "unreachable"
        api = client.get("/api/v1/members/X", headers=headers)
        assert api.status_code == 503
        assert api.mimetype == "application/problem+json"
        assert "neo4j" not in api.get_data(as_text=True).lower()
        assert client.get("/healthz").status_code == 200

        assert _cli(own_env, "neo4j", "start").returncode == 0
        assert client.get("/readyz").status_code == 200
        assert client.get("/api/v1/members/X", headers=headers).status_code == 404
        services.close()
        _assert_private(settings.var_dir)
    finally:
        _cli(own_env, "neo4j", "stop")
    assert _cli(own_env, "neo4j", "status").returncode == 3


def _assert_private(root):
    """Nothing under root (the store with its hashes and audit trail, secrets, logs) is
    readable, writable or searchable by group or others."""
    exposed = [f"{p} {oct(p.stat().st_mode & 0o777)}" for p in [root, *root.rglob("*")]
               if not p.is_symlink() and p.stat().st_mode & 0o077]
    assert exposed == []
    assert (root / "neo4j" / "data").is_dir() and any((root / "neo4j" / "data").rglob("*"))


def test_an_older_world_readable_store_is_made_private_at_start(own_env):
    from pathlib import Path

    var = Path(own_env["GRAPHSVC_VAR_DIR"])
    (var / "neo4j" / "data").mkdir(parents=True, exist_ok=True)
    (var / "neo4j" / "data" / "left-by-an-older-release").write_text("x")
    for path in [var, *var.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    assert _cli(own_env, "neo4j", "start").returncode == 0
    try:
        _assert_private(var)
    finally:
        _cli(own_env, "neo4j", "stop")


def test_port_in_use_is_a_one_line_error(own_env):
    with socket.socket() as blocker:
        blocker.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        blocker.bind(("127.0.0.1", 17697))
        blocker.listen(1)
        result = _cli(own_env, "neo4j", "start")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "17697" in lines[0] and "in use" in lines[0]


def test_missing_maven_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    settings = settings_module.load({"GRAPHSVC_VAR_DIR": str(tmp_path), "GRAPHSVC_NEO4J_DIST": str(tmp_path / "dist"),
                                     "NEO4J_BOLT_PORT": "17698"})
    with pytest.raises(Neo4jError, match="Maven"):
        LocalNeo4j(settings).fetch(echo=lambda _: None)
