"""``graphsvc neo4j``, ``graphsvc db`` and ``graphsvc serve``: the local server,
the schema, and the HTTP service."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import click

from .. import schema
from ..localneo4j import LocalNeo4j
from ..proxy import nginx_binary, nginx_config
from .context import Context, pass_ctx

__all__ = ["neo4j_group", "db_group", "serve"]


@click.group("neo4j")
def neo4j_group():
    """The local Neo4j server under var/ (nothing runs when NEO4J_URI is set)."""


def _local(ctx: Context) -> LocalNeo4j | None:
    if ctx.settings.external_neo4j:
        click.echo(f"NEO4J_URI is set ({ctx.settings.neo4j_uri}); no local server is managed.")
        return None
    return LocalNeo4j(ctx.settings)


@neo4j_group.command("start")
@pass_ctx
def neo4j_start(ctx: Context):
    """Fetch (first run) and start Neo4j; wait until Bolt answers."""
    if local := _local(ctx):
        click.echo(f"Neo4j {local.start(echo=click.echo)}")


@neo4j_group.command("stop")
@pass_ctx
def neo4j_stop(ctx: Context):
    """Stop the local Neo4j cleanly."""
    if local := _local(ctx):
        local.stop(echo=click.echo)


@neo4j_group.command("status")
@pass_ctx
def neo4j_status(ctx: Context):
    """Say whether the local Neo4j runs (exit 3 when stopped)."""
    if local := _local(ctx):
        status = local.status()
        click.echo(f"Neo4j {status}")
        if not status.running:
            sys.exit(3)


@click.group("db")
def db_group():
    """Database schema."""


@db_group.command("migrate")
@pass_ctx
def db_migrate(ctx: Context):
    """Apply constraints and indexes and bring older data up to date (idempotent)."""
    with ctx.audited("db migrate") as audit:
        applied = schema.migrate(ctx.services.db, echo=click.echo)
        audit.detail = {"constraints_and_indexes": len(applied)}
    click.echo(f"Schema applied: {len(applied)} constraints and indexes.")


@click.command("serve")
@click.option("--host", default=None, help="Interface to bind (default from GRAPHSVC_BIND).")
@click.option("--port", type=int, default=None, help="Port to bind.")
@pass_ctx
def serve(ctx: Context, host: str | None, port: int | None):
    """Run the HTTP service: nginx on the address, buffering every request, in front of
    gunicorn on a private socket (gunicorn alone when nginx is not installed)."""
    default_host, _, default_port = ctx.settings.bind.rpartition(":")
    host, port = host or default_host, port or int(default_port)
    if not _can_listen(host, port):
        raise click.ClickException(f"port {port} is in use on {host} (another graphsvc serve, or another program); "
                                   "choose another with --port")
    run = ctx.settings.var_dir / "run"
    run.mkdir(parents=True, exist_ok=True)
    # Each instance its own gunicorn control socket and metrics folder (gunicorn's default
    # socket is one per user; the metrics folder is wiped when gunicorn starts).
    gunicorn = [str(Path(sys.executable).with_name("gunicorn")), "-c",
                str(Path(__file__).parent.parent / "gunicorn_conf.py"),
                "--control-socket", str(run / f"gunicorn-{port}.ctl"), "graphsvc.wsgi:app"]
    if not ctx.settings.metrics_dir:
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(ctx.settings.var_dir / "metrics" / str(port))
    nginx = nginx_binary() if ctx.settings.proxy == "nginx" else None
    if nginx is None:
        if ctx.settings.proxy == "nginx":
            click.echo("nginx is not installed: serving straight from gunicorn, where slow clients can tie up "
                       "its threads (scripts/setup installs nginx where it can).", err=True)
        os.execv(gunicorn[0], [*gunicorn, "--bind", f"{host}:{port}"])
    prefix = ctx.settings.var_dir / "nginx" / str(port)
    upstream = run / f"gunicorn-{port}.sock"
    prefix.mkdir(parents=True, exist_ok=True)
    (prefix / "nginx.conf").write_text(nginx_config(prefix, f"{host}:{port}", upstream, ctx.settings.max_body_bytes))
    app = subprocess.Popen([*gunicorn, "--bind", f"unix:{upstream}"], env={**os.environ, "GRAPHSVC_BEHIND_PROXY": "1"})
    proxy = subprocess.Popen([nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"])
    sys.exit(_supervise(app, proxy))


def _can_listen(host: str, port: int) -> bool:
    """Whether a server could listen on the address now (as nginx and gunicorn bind it)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def _supervise(*processes: subprocess.Popen) -> int:
    """Wait until one process ends (or a stop signal comes), stop the others, and
    return the first one's exit code."""
    def stop(*_):
        for process in processes:
            if process.poll() is None:
                process.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while all(process.poll() is None for process in processes):
        time.sleep(0.2)
    code = next(process.returncode for process in processes if process.poll() is not None)
    stop()
    for process in processes:
        process.wait(30)
    return code
