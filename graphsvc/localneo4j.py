"""A local Neo4j Community server on loopback, without Docker.

Maven copies the server and its dependencies from Maven Central into
``<dist>/lib`` once; the server runs from that classpath with its
configuration, data, logs and pid file under ``<var>/neo4j``.  Nothing here
runs when ``NEO4J_URI`` names an outside server.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from . import db
from .settings import PRIVATE_UMASK, Settings, make_private

__all__ = ["LocalNeo4j", "Neo4jError", "NEO4J_VERSION"]

POM = Path(__file__).with_name("neo4j-runtime.pom.xml")
NEO4J_VERSION = "5.26.30"
ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
ADMIN_ENTRY_POINT = "org.neo4j.cli.AdminTool"
DEFAULT_PASSWORD = "neo4j"
# The JVM options the Neo4j launcher passes by default (neo4j.conf server.jvm.additional).
JVM_OPTIONS = [
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+AlwaysPreTouch",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-XX:+ExitOnOutOfMemoryError",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Djdk.tls.ephemeralDHKeySize=2048",
    "-Djdk.tls.rejectClientInitiatedRenegotiation=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
]


class Neo4jError(Exception):
    """A one-line reason why the local server could not be managed."""


@dataclass(frozen=True)
class Status:
    """Whether the local server runs, its pid and its Bolt address."""

    running: bool
    pid: int | None
    uri: str

    def __str__(self) -> str:
        if self.running:
            return f"running (pid {self.pid}) at {self.uri}"
        return "stopped"


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and b"java" in Path(f"/proc/{pid}/cmdline").read_bytes()


class LocalNeo4j:
    """The project's own Neo4j Community server under var/: fetch, configure, start, stop, import."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.home = settings.var_dir / "neo4j"
        self.lib = settings.neo4j_dist_dir / NEO4J_VERSION / "lib"
        self.pid_file = self.home / "run" / "neo4j.pid"

    # -- obtain ---------------------------------------------------------------
    def fetch(self, echo=print) -> None:
        """Copy the server's jars from Maven Central, once."""
        marker = self.lib / ".complete"
        if marker.exists():
            return
        if shutil.which("mvn") is None:
            raise Neo4jError("Maven (mvn) is not installed; it is needed to fetch Neo4j")
        echo(f"Fetching Neo4j Community {NEO4J_VERSION} from Maven Central (first run only)...")
        staging = self.lib.with_name("lib.partial")
        shutil.rmtree(staging, ignore_errors=True)
        result = subprocess.run(
            [
                "mvn", "-q", "-B", "-f", str(POM),
                f"-Dneo4j.version={NEO4J_VERSION}",
                "dependency:copy-dependencies",
                f"-DoutputDirectory={staging}",
                "-DincludeScope=runtime",
            ],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            last = (result.stdout + result.stderr).strip().splitlines()[-1:] or ["unknown error"]
            raise Neo4jError(f"Maven could not fetch Neo4j: {last[0]}")
        shutil.rmtree(self.lib, ignore_errors=True)
        staging.rename(self.lib)
        marker.touch()

    # -- run ------------------------------------------------------------------
    def _write_config(self) -> Path:
        conf_dir = self.home / "conf"
        conf_dir.mkdir(parents=True, exist_ok=True)
        s = self.settings
        lines = {
            "server.default_listen_address": "127.0.0.1",
            "server.bolt.listen_address": f"127.0.0.1:{s.neo4j_bolt_port}",
            "server.bolt.advertised_address": f"127.0.0.1:{s.neo4j_bolt_port}",
            "server.http.enabled": "false",
            "server.https.enabled": "false",
            "dbms.security.auth_enabled": "true",
            "dbms.usage_report.enabled": "false",
            "server.memory.heap.initial_size": s.neo4j_heap,
            "server.memory.heap.max_size": s.neo4j_heap,
            "server.memory.pagecache.size": s.neo4j_pagecache,
            "db.transaction.timeout": f"{int(s.query_timeout_s * 10)}s",
            "server.directories.data": str(self.home / "data"),
            "server.directories.logs": str(self.home / "logs"),
            "server.directories.run": str(self.home / "run"),
            "server.directories.import": str(self.home / "import"),
        }
        conf = conf_dir / "neo4j.conf"
        conf.write_text("".join(f"{k}={v}\n" for k, v in lines.items()))
        return conf_dir

    def status(self) -> Status:
        """Running (with pid) or stopped, read from the pid file and the process table."""
        uri = f"bolt://127.0.0.1:{self.settings.neo4j_bolt_port}"
        pid = int(self.pid_file.read_text()) if self.pid_file.exists() else None
        if pid is not None and _alive(pid):
            return Status(True, pid, uri)
        return Status(False, None, uri)

    def start(self, echo=print, timeout_s: float = 180.0) -> Status:
        """Start the server (a no-op when it already runs) and wait for Bolt."""
        current = self.status()
        if current.running:
            echo(f"Neo4j already {current}")
            return current
        port = self.settings.neo4j_bolt_port
        if _port_open(port):
            raise Neo4jError(f"port {port} on 127.0.0.1 is already in use by another process")
        self.fetch(echo)
        conf_dir = self._write_config()
        for sub in ("data", "logs", "run", "import"):
            (self.home / sub).mkdir(parents=True, exist_ok=True)
        make_private(self.settings.var_dir)  # stores written by older releases too
        heap = self.settings.neo4j_heap
        console = open(self.home / "logs" / "console.log", "ab")
        process = subprocess.Popen(
            ["java", f"-Xms{heap}", f"-Xmx{heap}", *JVM_OPTIONS,
             "-cp", f"{self.lib}/*", ENTRY_POINT,
             f"--home-dir={self.home}", f"--config-dir={conf_dir}"],
            stdout=console,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            env={**os.environ, "NEO4J_HOME": str(self.home), "NEO4J_CONF": str(conf_dir)},
            umask=PRIVATE_UMASK,
        )
        console.close()
        self.pid_file.write_text(str(process.pid))
        echo(f"Starting Neo4j {NEO4J_VERSION} on 127.0.0.1:{port} (pid {process.pid})...")
        deadline = time.monotonic() + timeout_s
        while not _port_open(port):
            if process.poll() is not None:
                self.pid_file.unlink(missing_ok=True)
                raise Neo4jError(f"Neo4j exited with code {process.returncode}; see {self.home / 'logs'}")
            if time.monotonic() > deadline:
                raise Neo4jError(f"Neo4j did not open Bolt within {timeout_s:.0f}s; see {self.home / 'logs'}")
            time.sleep(0.3)
        self._secure()
        return self.status()

    def _secure(self) -> None:
        """On a new server, replace the default password with ours."""
        s = self.settings
        database = db.Database(s)
        try:
            database.ping()
        except db.DatabaseUnavailable:
            db.set_initial_password(s.neo4j_uri, s.neo4j_user, DEFAULT_PASSWORD, s.neo4j_password)
            try:
                database.ping()
            except db.DatabaseUnavailable as exc:
                raise Neo4jError(f"Neo4j is up but refuses our credentials: {exc}") from exc
        finally:
            database.close()

    def stop(self, echo=print, timeout_s: float = 60.0) -> None:
        """Stop the server cleanly, waiting up to ``timeout_s``; nothing when it is not running."""
        current = self.status()
        if not current.running:
            echo("Neo4j is not running")
            self.pid_file.unlink(missing_ok=True)
            return
        os.kill(current.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout_s
        while _alive(current.pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        if _alive(current.pid):
            os.kill(current.pid, signal.SIGKILL)
        self.pid_file.unlink(missing_ok=True)
        echo("Neo4j stopped")

    def import_full(self, nodes: dict[str, Path], relationships: dict[str, Path],
                    echo=print) -> None:
        """Write CSV files straight into the store of the ``neo4j`` database with
        ``neo4j-admin database import full``; the server must be stopped.

        Files name nodes by their store ids (``--id-type=actual``), so no id
        map is built.  The tool's output goes to ``logs/import.log``; its phase
        lines are echoed.  When it fails, the partial store is removed (Neo4j
        creates an empty database in its place at the next start).
        """
        if self.status().running:
            raise Neo4jError("stop Neo4j before an offline import")
        self.fetch(echo)
        conf_dir = self._write_config()
        heap = self.settings.neo4j_heap
        log_path = self.home / "logs" / "import.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        command = [
            "java", f"-Xmx{heap}", *JVM_OPTIONS, "-cp", f"{self.lib}/*", ADMIN_ENTRY_POINT,
            "database", "import", "full", "neo4j",
            "--overwrite-destination", "--id-type=actual", "--array-delimiter=;",
            f"--report-file={self.home / 'logs' / 'import.report'}",
            *(f"--nodes={label}={path}" for label, path in nodes.items()),
            *(f"--relationships={kind}={path}" for kind, path in relationships.items()),
        ]
        env = {**os.environ, "NEO4J_HOME": str(self.home), "NEO4J_CONF": str(conf_dir)}
        with open(log_path, "w") as log, subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            text=True, env=env, umask=PRIVATE_UMASK,
        ) as process:
            last = ""
            for line in process.stdout:
                log.write(line)
                if line.strip():
                    last = line.strip()
                if any(word in line for word in ("COMPLETED", "IMPORT DONE")):
                    echo(f"  neo4j-admin: {line.strip()}")
        if process.returncode != 0:
            for sub in ("databases", "transactions"):
                shutil.rmtree(self.home / "data" / sub / "neo4j", ignore_errors=True)
            raise Neo4jError(f"neo4j-admin import failed ({last}); see {log_path}")

    def kill(self) -> None:
        """SIGKILL the server, as a crash would (fault tests)."""
        current = self.status()
        if current.running:
            os.kill(current.pid, signal.SIGKILL)
            while _alive(current.pid):
                time.sleep(0.05)
