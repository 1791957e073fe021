"""The ``graphsvc`` command line: one module per domain, assembled here."""

from __future__ import annotations

import os
import sys

import click

from ..db import DatabaseUnavailable
from ..errors import ServiceError
from ..localneo4j import Neo4jError
from ..settings import PRIVATE_UMASK
from . import access, analysis, commissions, network, platform, rewards, tracking
from .context import Context

__all__ = ["main", "cli"]


@click.group()
@click.pass_context
def cli(ctx: click.Context):
    """graphsvc: a referral network in Neo4j."""
    ctx.obj = Context()
    ctx.call_on_close(ctx.obj.close)


for command in (platform.neo4j_group, platform.db_group, network.import_files, network.generate_files, network.demo,
                commissions.plans_group, commissions.commissions_group, analysis.analyze, analysis.report_group,
                access.keys_group, tracking.codes_group, tracking.referrals_group, rewards.rewards_group, rewards.payouts_group,
                platform.serve):
    cli.add_command(command)


def _with_reasons(exc: Exception) -> str:
    """The error, with what each refused option should look like (bad rows are listed
    separately, one per line)."""
    reasons = [f"{field}: {' '.join(messages)}" for field, messages in getattr(exc, "errors", {}).items()
               if not field.startswith("row ")]
    return f"{exc} ({'; '.join(reasons)})" if reasons else str(exc)


def main() -> None:
    """Run the command line; every failure ends as one line on stderr and exit 1."""
    os.umask(PRIVATE_UMASK)  # what commands write under var/ (and the server they exec) is private
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except (Neo4jError, ServiceError) as exc:
        click.echo(f"Error: {_with_reasons(exc)}", err=True)
        sys.exit(1)
    except DatabaseUnavailable:
        click.echo("Error: Neo4j is not reachable (start it with `graphsvc neo4j start`).", err=True)
        sys.exit(1)
