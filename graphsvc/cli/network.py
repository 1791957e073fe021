"""``graphsvc import``, ``generate`` and ``demo``: the network's data."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from tqdm import tqdm

from .. import schema
from ..domain import ADMIN_ROLE
from ..errors import Invalid
from ..localneo4j import LocalNeo4j
from .analysis import analyze
from .context import Context, echo_bad_rows, pass_ctx

__all__ = ["import_files", "generate_files", "demo"]


@click.command("import")
@click.option("--members", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--orders", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--identifiers", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--fx-rates", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Exchange rates into GRAPHSVC_REPORTING_CURRENCY: CSV currency,month (YYYY-MM),rate.")
@click.option("--codes", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Referral codes: CSV member_id,code[,campaign,channel,is_default]; the valid rows are stored, "
                   "the others listed.")
@click.option("--clicks", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Clicks on referral links: CSV code,visitor_id,at[,ip,user_agent,landing_page]; the valid "
                   "rows are stored, the others listed.")
@click.option("--signups", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Live signups: JSON lines, one POST /members body each, attributed and checked in file order "
                   "(after --codes and --clicks).")
@click.option("--first-load", is_flag=True,
              help="Fill an empty local database offline with neo4j-admin (stops and restarts Neo4j); "
                   "needs --members.")
@click.option("--dry-run", is_flag=True, help="Check the files and say what would change; write nothing.")
@pass_ctx
def import_files(ctx: Context, members: Path | None, orders: Path | None, identifiers: Path | None,
                 fx_rates: Path | None = None, codes: Path | None = None, clicks: Path | None = None,
                 signups: Path | None = None, first_load: bool = False, dry_run: bool = False):
    """Import CSV files (members first); each file is checked whole and readers see all
    of it or none of it; the summary says what was created, left unchanged and changed."""
    events = {"codes": codes, "clicks": clicks, "signups": signups}
    if not (members or orders or identifiers or fx_rates or any(events.values())):
        raise click.UsageError("name at least one of --members, --orders, --identifiers, --fx-rates, --codes, "
                               "--clicks, --signups")
    if (fx_rates or any(events.values())) and (first_load or dry_run):
        raise click.UsageError("--fx-rates, --codes, --clicks and --signups are imported on their own, not in a "
                               "first load or a dry run")
    if first_load:
        if dry_run:
            raise click.UsageError("--dry-run checks files for the transactional import, not a first load")
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
                tqdm(desc=f"Writing {kind}", unit="row", disable=not sys.stderr.isatty()) as bar, \
                ctx.audited(f"import {kind}" + (" (dry run)" if dry_run else ""), str(path)) as audit:
            def on_total(total, bar=bar):
                bar.total = total
                bar.refresh()
            try:
                summary = run(stream, progress=bar.update, on_total=on_total, dry_run=dry_run)
            except Invalid as exc:
                echo_bad_rows(exc)
                raise
            audit.detail = summary.as_dict()
        _echo_summary(summary, path)
    if fx_rates:
        with open(fx_rates, newline="", encoding="utf-8-sig") as stream, \
                ctx.audited("import fx rates", str(fx_rates)) as audit:
            try:
                stored = ctx.services.fx.import_rates(stream)
            except Invalid as exc:
                echo_bad_rows(exc)
                raise
            audit.detail = {"rates": stored, "reporting_currency": ctx.services.fx.reporting}
        click.echo(f"Imported {stored} exchange rates into {ctx.services.fx.reporting} from {fx_rates}.")
    tracking = ctx.services.tracking
    for kind, run, told in (
            ("codes", tracking.import_codes, "{created} created, {unchanged} unchanged, {refused} refused"),
            ("clicks", tracking.import_clicks, "{stored} stored ({bots} by bots, never counted), {refused} refused"),
            ("signups", tracking.import_signups,
             "{created} created ({held} held for review), {unchanged} unchanged, {refused} refused")):
        if events[kind]:
            _import_events(ctx, kind, events[kind], run, told)


def _import_events(ctx: Context, kind: str, path: Path, run, told: str) -> None:
    """Import a file of tracking events, whose valid rows are stored and the others
    listed by line."""
    with open(path, newline="", encoding="utf-8-sig") as stream, \
            tqdm(desc=f"Writing {kind}", unit="row", disable=not sys.stderr.isatty()) as bar, \
            ctx.audited(f"import {kind}", str(path)) as audit:
        summary = run(stream, progress=bar.update)
        audit.detail = summary | {"refused": len(summary["refused"])}
    for row in summary["refused"]:  # every refused row on stderr, like a refused file's
        reasons = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in row["errors"].items())
        click.echo(f"  row {row['line']}: {reasons}", err=True)
    click.echo(f"Imported {kind} from {path}: " + told.format(**summary | {"refused": len(summary["refused"])}) + ".")


def _echo_summary(summary, path: Path) -> None:
    verb = "Would import" if summary.dry_run else "Imported"
    click.echo(f"{verb} {summary.rows} {summary.kind} rows from {path}: {summary.created} created, "
               f"{summary.unchanged} unchanged, {summary.changed} changed."
               + (f" (import {summary.import_id})" if summary.import_id else ""))
    for change in summary.sponsor_changes:
        click.echo(f"  sponsor of {change['id']}: {change['from'] or '(none)'} -> {change['to'] or '(none)'}")


def _first_load(ctx: Context, members: Path | None, orders: Path | None, identifiers: Path | None) -> None:
    from ..network.firstload import FirstLoad

    if members is None:
        raise click.UsageError("a first load needs --members")
    if ctx.settings.external_neo4j:
        raise click.UsageError("a first load writes the local server's store; NEO4J_URI names another server")
    services = ctx.services
    loader = FirstLoad(services.db, services.importer, LocalNeo4j(ctx.settings),
                       ctx.settings.var_dir / "first-load")
    files = ", ".join(str(p) for p in (members, orders, identifiers) if p)
    # A refused first load is not audited: the event would make the database non-empty for the retry.
    with ctx.audited("import first load", files, record_failure=False) as audit:
        try:
            summaries = loader.run(members, orders, identifiers, echo=click.echo)
        except Invalid as exc:
            echo_bad_rows(exc)
            raise
        audit.detail = {s.kind: s.as_dict() for s in summaries}
    for summary in summaries:
        click.echo(f"Imported {summary.rows} {summary.kind} rows.")


DEMO_LIVE_DAYS = 60
# The generated programme's last half year (its clicks run to the end of 2025): the KPIs the demo stores.
DEMO_KPI_PERIOD = ("2025-07-01", "2026-01-01")


@click.command("generate")
@click.option("--members", "count", type=click.IntRange(1), required=True, help="How many members.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--orders-per-member", type=click.FloatRange(0), default=5.0, show_default=True)
@click.option("--plant/--no-plant", default=True, show_default=True,
              help="Add rings, a farm and a chain of alt accounts for risk analysis to find.")
@click.option("--live-days", type=click.IntRange(0), default=DEMO_LIVE_DAYS, show_default=True,
              help="Members who joined in these last days come as live signups (signups.jsonl, their orders in "
                   "live-orders.csv), after codes.csv and clicks.csv.")
def generate_files(count: int, out: Path, seed: int, orders_per_member: float, plant: bool = True,
                   live_days: int = DEMO_LIVE_DAYS):
    """Write a realistic demo programme: members.csv, orders.csv, identifiers.csv, and its
    referral tracking (codes.csv, clicks.csv, signups.jsonl, live-orders.csv).  Import
    the first three, then --codes, --clicks and --signups, then live-orders.csv."""
    from ..network.generator import generate

    rows = generate(count, out, seed=seed, orders_per_member=orders_per_member, plant=plant, live_days=live_days)
    click.echo(", ".join(f"{v} {k}" for k, v in rows.items()) + f" written to {out}/")


@click.command("demo")
@click.option("--members", "count", type=click.IntRange(1), default=20000, show_default=True)
@pass_ctx
def demo(ctx: Context, count: int):
    """Apply the schema, load a generated network when the database is empty,
    and print an admin key for trying the API (kept in var/demo-admin-key)."""
    from ..network.generator import generate

    services = ctx.services
    with ctx.audited("demo", str(ctx.settings.var_dir / "demo")) as audit:
        schema.migrate(services.db, echo=click.echo)
        audit.detail = {"loaded": not services.db.read("network/any_member")}
    if not audit.detail["loaded"]:
        click.echo("The database already holds members; no demo data loaded.")
    else:
        out = ctx.settings.var_dir / "demo"
        click.echo(f"Generating a demo network of {count} members in {out}/ ...")
        generate(count, out, seed=1, plant=True, live_days=DEMO_LIVE_DAYS)
        invoke = click.get_current_context().invoke
        invoke(import_files, members=out / "members.csv", orders=out / "orders.csv",
               identifiers=out / "identifiers.csv")
        click.echo(f"Replaying the referral programme's last {DEMO_LIVE_DAYS} days: codes, clicks, live signups ...")
        invoke(import_files, members=None, orders=None, identifiers=None, codes=out / "codes.csv",
               clicks=out / "clicks.csv", signups=out / "signups.jsonl")
        invoke(import_files, members=None, orders=out / "live-orders.csv", identifiers=None)
        services.db.write("demo/join_cycle")
        click.echo("Wrote a referral cycle behind the API's back (CYCLE0 -> CYCLE1 -> CYCLE2); analysing ...")
        invoke(analyze, kind="all", start=None, end=None)
        start, end = DEMO_KPI_PERIOD
        click.echo(f"Measuring the programme's KPIs from {start} to {end} (the half year of clicks) ...")
        invoke(analyze, kind="kpis", start=start, end=end)
    key_file = ctx.settings.var_dir / "demo-admin-key"
    if not key_file.exists():
        with ctx.audited("keys create", "demo admin key") as audit:
            key, record = services.access.create_key(ADMIN_ROLE)
            audit.target, audit.detail = record["id"], {"role": ADMIN_ROLE, "member_id": None}
        key_file.write_text(key + "\n")
        key_file.chmod(0o600)
    click.echo(f"Admin key for the demo (also in {key_file}):\n{key_file.read_text().strip()}")
