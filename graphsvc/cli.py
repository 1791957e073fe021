"""The ``graphsvc`` command line."""

from __future__ import annotations

import csv
import json
import os
import sys
from pathlib import Path

import click
from tqdm import tqdm

from . import schema
from . import settings as settings_module
from .db import DatabaseUnavailable
from .access.service import CLI_PRINCIPAL, ROLES
from .errors import Invalid, ServiceError
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
    """Apply constraints and indexes and bring older data up to date (idempotent)."""
    applied = schema.migrate(ctx.services.db, echo=click.echo)
    click.echo(f"Schema applied: {len(applied)} constraints and indexes.")


# -- data ---------------------------------------------------------------------
@cli.command("import")
@click.option("--members", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--orders", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--identifiers", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--first-load", is_flag=True,
              help="Fill an empty local database offline with neo4j-admin (stops and restarts Neo4j); "
                   "needs --members.")
@pass_ctx
def import_files(ctx: _Context, members: Path | None, orders: Path | None, identifiers: Path | None,
                 first_load: bool = False):
    """Import CSV files (members first); each file is checked whole before writing."""
    if not (members or orders or identifiers):
        raise click.UsageError("name at least one of --members, --orders, --identifiers")
    if first_load:
        _first_load(ctx, members, orders, identifiers)
        return
    importer = ctx.services.importer
    for kind, path, run in (("members", members, importer.import_members),
                            ("orders", orders, importer.import_orders),
                            ("identifiers", identifiers, importer.import_identifiers)):
        if path is None:
            continue
        click.echo(f"Checking {path} ...")
        with open(path, newline="", encoding="utf-8-sig") as stream, \
                tqdm(desc=f"Writing {kind}", unit="row", disable=not sys.stderr.isatty()) as bar:
            def on_total(total, bar=bar):
                bar.total = total
                bar.refresh()
            try:
                summary = run(stream, progress=bar.update, on_total=on_total)
            except Invalid as exc:
                _echo_bad_rows(exc)
                ctx.services.access.audit(CLI_PRINCIPAL, f"import {kind}", str(path), "refused 422")
                raise
        ctx.services.access.audit(CLI_PRINCIPAL, f"import {kind}", str(path), "ok", summary.as_dict())
        click.echo(f"Imported {summary.rows} {kind} rows from {path}.")


def _echo_bad_rows(refused: Invalid) -> None:
    for row, messages in refused.errors.items():
        for message in messages:
            click.echo(f"  {row}: {message}", err=True)


def _first_load(ctx: _Context, members: Path | None, orders: Path | None, identifiers: Path | None) -> None:
    from .network.firstload import FirstLoad

    if members is None:
        raise click.UsageError("a first load needs --members")
    if ctx.settings.external_neo4j:
        raise click.UsageError("a first load writes the local server's store; NEO4J_URI names another server")
    services = ctx.services
    loader = FirstLoad(services.db, services.importer, LocalNeo4j(ctx.settings),
                       ctx.settings.var_dir / "first-load")
    files = ", ".join(str(p) for p in (members, orders, identifiers) if p)
    try:
        summaries = loader.run(members, orders, identifiers, echo=click.echo)
    except Invalid as exc:
        # Not audited: an audit event would make the database non-empty for the retry.
        _echo_bad_rows(exc)
        raise
    services.access.audit(CLI_PRINCIPAL, "import first load", files, "ok",
                          {s.kind: s.as_dict() for s in summaries})
    for summary in summaries:
        click.echo(f"Imported {summary.rows} {summary.kind} rows.")


@cli.command("generate")
@click.option("--members", "count", type=click.IntRange(1), required=True, help="How many members.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--orders-per-member", type=click.FloatRange(0), default=5.0, show_default=True)
def generate_files(count: int, out: Path, seed: int, orders_per_member: float):
    """Write a realistic demo network as members.csv, orders.csv, identifiers.csv."""
    from .network.generator import generate

    rows = generate(count, out, seed=seed, orders_per_member=orders_per_member)
    click.echo(", ".join(f"{v} {k}" for k, v in rows.items()) + f" written to {out}/")


@cli.command("demo")
@click.option("--members", "count", type=click.IntRange(1), default=20000, show_default=True)
@pass_ctx
def demo(ctx: _Context, count: int):
    """Apply the schema, load a generated network when the database is empty,
    and print an admin key for trying the API (kept in var/demo-admin-key)."""
    from .network.generator import generate

    services = ctx.services
    schema.migrate(services.db, echo=click.echo)
    if services.db.read("network/any_member"):
        click.echo("The database already holds members; no demo data loaded.")
    else:
        out = ctx.settings.var_dir / "demo"
        click.echo(f"Generating a demo network of {count} members in {out}/ ...")
        generate(count, out, seed=1)
        click.get_current_context().invoke(import_files, members=out / "members.csv",
                                           orders=out / "orders.csv", identifiers=out / "identifiers.csv")
    key_file = ctx.settings.var_dir / "demo-admin-key"
    if not key_file.exists():
        key, _ = services.access.create_key("admin")
        key_file.write_text(key + "\n")
        key_file.chmod(0o600)
    click.echo(f"Admin key for the demo (also in {key_file}):\n{key_file.read_text().strip()}")


# -- commissions ----------------------------------------------------------------
@cli.group("plans")
def plans_group():
    """Commission plans."""


@plans_group.command("put")
@click.argument("file", type=click.File("r"))
@click.option("--id", "plan_id", default=None, help="Plan id (default: the file's \"id\" field).")
@pass_ctx
def plans_put(ctx: _Context, file, plan_id: str | None):
    """Create or replace a plan from JSON: {id, rates, compression, commissionable_kinds}."""
    try:
        body = json.load(file)
    except json.JSONDecodeError as exc:
        raise click.ClickException(f"{file.name} is not JSON: {exc}")
    plan_id = plan_id or body.pop("id", None)
    body.pop("id", None)
    if not plan_id:
        raise click.ClickException("the plan needs an id (--id or an \"id\" field)")
    unknown = set(body) - {"rates", "compression", "commissionable_kinds"}
    if unknown:
        raise click.ClickException(f"unknown plan fields: {', '.join(sorted(unknown))}")
    try:
        plan = ctx.services.commissions.put_plan(plan_id, body.get("rates", []), body.get("compression", False),
                                                 body.get("commissionable_kinds", []))
    except Invalid as exc:
        raise click.ClickException("; ".join(m for ms in exc.errors.values() for m in ms))
    ctx.services.access.audit(CLI_PRINCIPAL, "plans put", plan_id, "ok", {"version": plan["version"]})
    click.echo(f"Plan {plan['id']} version {plan['version']}.")


@cli.group("commissions")
def commissions_group():
    """Commission runs and exports."""


@commissions_group.command("run")
@click.option("--plan", "plan_id", required=True)
@click.option("--from", "start", required=True, help="First day (or zoned time) of the period.")
@click.option("--to", "end", required=True, help="End of the period, exclusive.")
@pass_ctx
def commissions_run(ctx: _Context, plan_id: str, start: str, end: str):
    """Run (or resume) commissions for a plan and period; prints the run id."""
    with tqdm(desc="Paying orders", unit="order", disable=not sys.stderr.isatty(), file=sys.stderr) as bar:
        def on_total(total):
            bar.total = total
            bar.refresh()
        run = ctx.services.commissions.run(plan_id, start, end, progress=bar.update, on_total=on_total)
    ctx.services.access.audit(CLI_PRINCIPAL, "commissions run", run["id"], "ok",
                              {"plan_id": plan_id, "from": start, "to": end})
    click.echo(run["id"])


@commissions_group.command("export")
@click.option("--run", "run_id", required=True)
@pass_ctx
def commissions_export(ctx: _Context, run_id: str):
    """CSV beneficiary_id,total,currency of a run to stdout."""
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["beneficiary_id", "total", "currency"])
    writer.writerows(ctx.services.commissions.export_rows(run_id))


# -- analysis -------------------------------------------------------------------
@cli.command("analyze")
@click.argument("kind", type=click.Choice(["influence", "rings", "cycles", "compliance", "all"]))
@click.option("--from", "start", help="start of the period (compliance only)")
@click.option("--to", "end", help="end of the period, exclusive (compliance only)")
@pass_ctx
def analyze(ctx: _Context, kind: str, start: str | None, end: str | None):
    """Run an analysis now, with progress; results replace the previous run's.
    ``all`` is influence, rings and cycles; compliance runs over --from/--to."""
    analysis = ctx.services.analysis
    run = analysis.create_run(kind, start, end)
    with tqdm(total=100, desc=f"Analysis {kind}", unit="%", disable=not sys.stderr.isatty(), file=sys.stderr) as bar:
        def progress(fraction, what):
            bar.set_postfix_str(what)
            bar.update(round(fraction * 100) - bar.n)
        result = analysis.execute(run["id"], kind, progress=progress)
    if result["status"] != "complete":
        raise click.ClickException(f"analysis run {run['id']} failed: {result['error']}")
    click.echo(run["id"])


# -- compliance -------------------------------------------------------------------
@cli.group("report")
def report_group():
    """Reports."""


@report_group.command("compliance")
@click.option("--from", "start", required=True)
@click.option("--to", "end", required=True)
@click.option("--format", "fmt", type=click.Choice(["html", "csv"]), default="html", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@pass_ctx
def report_compliance(ctx: _Context, start: str, end: str, fmt: str, out: Path):
    """The compliance report (HTML for reviewers, CSV of flagged members)."""
    out.write_text(ctx.services.compliance.report(start, end, fmt))
    click.echo(f"Wrote {out}.")


# -- keys -----------------------------------------------------------------------
@cli.group("keys")
def keys_group():
    """API keys: admin, app (optionally scoped to a member), compliance, analyst."""


@keys_group.command("create")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--member", "member_id", default=None, help="Scope an app key to this member and their downline.")
@pass_ctx
def keys_create(ctx: _Context, role: str, member_id: str | None):
    """Create a key and print it once (only its hash is stored)."""
    key, record = ctx.services.access.create_key(role, member_id)
    ctx.services.access.audit(CLI_PRINCIPAL, "keys create", record["id"], "ok",
                              {"role": role, "member_id": member_id})
    click.echo(key)


@keys_group.command("list")
@pass_ctx
def keys_list(ctx: _Context):
    """Every key's id, role, scope and state."""
    for key in ctx.services.access.list_keys():
        state = f"revoked {key['revoked_at']}" if key["revoked_at"] else "active"
        scope = f" member={key['member_id']}" if key["member_id"] else ""
        click.echo(f"{key['id']}  {key['role']}{scope}  created {key['created_at']}  {state}")


@keys_group.command("revoke")
@click.argument("key_id")
@pass_ctx
def keys_revoke(ctx: _Context, key_id: str):
    """Revoke a key by its id; it stops working at once."""
    ctx.services.access.revoke_key(key_id)
    ctx.services.access.audit(CLI_PRINCIPAL, "keys revoke", key_id, "ok")
    click.echo(f"Revoked {key_id}.")


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
