"""Shared parts of the benchmark scripts: an own Neo4j under var/bench, the
service under gunicorn, timing helpers and the machine description."""

from __future__ import annotations

import http.client
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graphsvc import schema, settings as settings_module  # noqa: E402
from graphsvc.localneo4j import LocalNeo4j  # noqa: E402
from graphsvc.network.firstload import FirstLoad  # noqa: E402
from graphsvc.services import Services  # noqa: E402

BENCH_ENV = {
    "GRAPHSVC_VAR_DIR": str(ROOT / "var" / "bench"),
    "NEO4J_BOLT_PORT": "17787",
    "NEO4J_HEAP": os.environ.get("BENCH_NEO4J_HEAP", "4g"),
    "NEO4J_PAGECACHE": os.environ.get("BENCH_NEO4J_PAGECACHE", "6g"),
    "GRAPHSVC_NEO4J_DIST": str(ROOT / "var" / "neo4j-dist"),
    "GRAPHSVC_RATE_LIMIT": "10000000 per minute",
    "GRAPHSVC_QUERY_TIMEOUT_S": "600",
}


def machine() -> str:
    cpu = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines()
                if l.startswith("model name")), platform.processor())
    mem = int(next(l.split()[1] for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal")))
    return f"{os.cpu_count()} cores ({cpu}), {mem / 1024 / 1024:.0f} GiB, {platform.platform()}"


def header(title: str, **sizes) -> None:
    print(f"# {title}")
    print(f"date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC")
    print(f"machine: {machine()}")
    for k, v in sizes.items():
        print(f"{k}: {v:,}" if isinstance(v, int) else f"{k}: {v}")


def bench_env(name: str = "bench", port: int = 17787) -> dict:
    """The environment of a bench server: its own folder under var/ and its own port."""
    return {**os.environ, **BENCH_ENV, "GRAPHSVC_VAR_DIR": str(ROOT / "var" / name), "NEO4J_BOLT_PORT": str(port)}


def fresh_services(wipe: bool = True, env: dict | None = None) -> tuple[Services, LocalNeo4j]:
    """Start the bench server (wiped first unless asked not to) and apply the schema."""
    env = env or bench_env()
    settings = settings_module.load(env)
    server = LocalNeo4j(settings)
    if wipe:
        server.stop(echo=lambda _: None)
        shutil.rmtree(settings.var_dir / "neo4j" / "data", ignore_errors=True)
    server.start(echo=lambda _: None)
    services = Services.build(settings)
    schema.migrate(services.db)
    return services, server


def first_load(services: Services, server: LocalNeo4j, data: Path, identifiers: bool = False) -> float:
    """``graphsvc import --first-load`` of members and orders (and with ``identifiers``, the
    identifier links) into the wiped bench database, timed until every index is online;
    prints and returns rows/s."""
    loader = FirstLoad(services.db, services.importer, server, services.settings.var_dir / "first-load")
    started = time.perf_counter()
    summaries = loader.run(data / "members.csv", data / "orders.csv",
                           data / "identifiers.csv" if identifiers else None, echo=print)
    elapsed = time.perf_counter() - started
    rows = sum(s.rows for s in summaries)
    print(f"first load ({', '.join(s.kind for s in summaries)}): {rows:,} rows in {elapsed:.1f} s "
          f"= {rows / elapsed:,.0f} rows/s")
    return rows / elapsed


@contextmanager
def bench_store(wipe: bool = True, env: dict | None = None) -> Iterator[tuple[Services, LocalNeo4j]]:
    """:func:`fresh_services` for a ``with`` block: closed and the server stopped after it."""
    services, server = fresh_services(wipe=wipe, env=env)
    try:
        yield services, server
    finally:
        services.close()
        server.stop(echo=lambda _: None)


def store_bytes(services, server) -> int:
    """The database's store files (not its transaction logs), measured with the server
    stopped: a clean stop writes everything to them (Community Edition has no checkpoint
    procedure)."""
    server.stop(echo=lambda _: None)
    store = services.settings.var_dir / "neo4j" / "data" / "databases" / "neo4j"
    size = sum(p.stat().st_size for p in store.rglob("*") if p.is_file())
    server.start(echo=lambda _: None)
    services.db.store_replaced()
    return size


def percentiles(samples_s: list[float]) -> dict:
    ms = sorted(s * 1000 for s in samples_s)
    return {"p50_ms": statistics.median(ms), "p99_ms": ms[min(len(ms) - 1, int(len(ms) * 0.99))], "n": len(ms)}


def fmt(p: dict) -> str:
    return f"p50 {p['p50_ms']:.2f} ms, p99 {p['p99_ms']:.2f} ms (n={p['n']})"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Service:
    """graphsvc under gunicorn on loopback, with a persistent HTTP connection."""

    def __init__(self, workers: int = 2, threads: int = 2, env: dict | None = None):
        self.port = free_port()
        env = {**(env or bench_env()), "GRAPHSVC_WORKERS": str(workers), "GRAPHSVC_THREADS": str(threads)}
        self.process = subprocess.Popen([str(ROOT / ".venv" / "bin" / "graphsvc"), "serve", "--port", str(self.port)],
                                        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while True:  # nginx may answer before gunicorn does: wait for the service itself
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError("graphsvc serve did not answer within 60 s")
            time.sleep(0.2)
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port)

    def get(self, path: str, headers: dict) -> tuple[int, float, dict]:
        try:
            started = time.perf_counter()
            self.conn.request("GET", path, headers=headers)
            response = self.conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionError):
            # The server closed an idle keep-alive connection: open another, time the request on it.
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port)
            started = time.perf_counter()
            self.conn.request("GET", path, headers=headers)
            response = self.conn.getresponse()
        body = response.read()
        return response.status, time.perf_counter() - started, json.loads(body)

    def post(self, path: str, body, headers: dict, conn: http.client.HTTPConnection | None = None
             ) -> tuple[int, float, dict]:
        """POST a JSON body (on ``conn``, another client's connection, if given)."""
        conn = conn or self.conn
        started = time.perf_counter()
        conn.request("POST", path, body=json.dumps(body), headers={**headers, "Content-Type": "application/json"})
        response = conn.getresponse()
        answer = response.read()
        return response.status, time.perf_counter() - started, json.loads(answer)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(30)

    def __enter__(self) -> "Service":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
