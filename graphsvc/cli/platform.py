"""``graphsvc neo4j``, ``graphsvc db`` and ``graphsvc serve``: the local server,
the schema, and the HTTP service."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .. import schema
from ..localneo4j import LocalNeo4j
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
    """Run the HTTP service under gunicorn."""
    default_host, _, default_port = ctx.settings.bind.rpartition(":")
    bind = f"{host or default_host}:{port or default_port}"
    conf = Path(__file__).parent.parent / "gunicorn_conf.py"
    gunicorn = Path(sys.executable).with_name("gunicorn")
    os.execv(str(gunicorn), [str(gunicorn), "-c", str(conf), "--bind", bind, "graphsvc.wsgi:app"])
