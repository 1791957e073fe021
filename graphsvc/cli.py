"""The ``graphsvc`` command line."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from . import schema
from . import settings as settings_module
from .db import Database, DatabaseUnavailable
from .errors import ServiceError
from .localneo4j import LocalNeo4j, Neo4jError

__all__ = ["main", "cli"]


class _Context:
    """Settings and services, built only when a command needs them."""

    def __init__(self):
        self.settings = settings_module.load()
        self._services = None

    @property
    def services(self):
        from .services import Services

        if self._services is None:
            self._services = Services.build(self.settings)
        return self._services

    def close(self):
        if self._services is not None:
            self._services.close()


pass_ctx = click.make_pass_decorator(_Context)


@click.group()
@click.pass_context
def cli(ctx: click.Context):
    """graphsvc: a referral network in Neo4j."""
    ctx.obj = _Context()
    ctx.call_on_close(ctx.obj.close)


# -- neo4j --------------------------------------------------------------------
@cli.group("neo4j")
def neo4j_group():
    """The local Neo4j server under var/ (nothing runs when NEO4J_URI is set)."""


def _local(ctx: _Context) -> LocalNeo4j | None:
    if ctx.settings.external_neo4j:
        click.echo(f"NEO4J_URI is set ({ctx.settings.neo4j_uri}); no local server is managed.")
        return None
    return LocalNeo4j(ctx.settings)


@neo4j_group.command("start")
@pass_ctx
def neo4j_start(ctx: _Context):
    """Fetch (first run) and start Neo4j; wait until Bolt answers."""
    if local := _local(ctx):
        click.echo(f"Neo4j {local.start(echo=click.echo)}")


@neo4j_group.command("stop")
@pass_ctx
def neo4j_stop(ctx: _Context):
    """Stop the local Neo4j cleanly."""
    if local := _local(ctx):
        local.stop(echo=click.echo)


@neo4j_group.command("status")
@pass_ctx
def neo4j_status(ctx: _Context):
    """Say whether the local Neo4j runs (exit 3 when stopped)."""
    if local := _local(ctx):
        status = local.status()
        click.echo(f"Neo4j {status}")
        if not status.running:
            sys.exit(3)


# -- db -----------------------------------------------------------------------
@cli.group("db")
def db_group():
    """Database schema."""


@db_group.command("migrate")
@pass_ctx
def db_migrate(ctx: _Context):
    """Apply constraints and indexes (idempotent)."""
    applied = schema.migrate(ctx.services.db)
    click.echo(f"Schema applied: {len(applied)} constraints and indexes.")


# -- serve --------------------------------------------------------------------
@cli.command("serve")
@click.option("--host", default=None, help="Interface to bind (default from GRAPHSVC_BIND).")
@click.option("--port", type=int, default=None, help="Port to bind.")
@pass_ctx
def serve(ctx: _Context, host: str | None, port: int | None):
    """Run the HTTP service under gunicorn."""
    default_host, _, default_port = ctx.settings.bind.rpartition(":")
    bind = f"{host or default_host}:{port or default_port}"
    conf = Path(__file__).with_name("gunicorn_conf.py")
    gunicorn = Path(sys.executable).with_name("gunicorn")
    os.execv(str(gunicorn), [str(gunicorn), "-c", str(conf), "--bind", bind, "graphsvc.wsgi:app"])


def main() -> None:
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except (Neo4jError, ServiceError) as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    except DatabaseUnavailable:
        click.echo("Error: Neo4j is not reachable (start it with `graphsvc neo4j start`).", err=True)
        sys.exit(1)
