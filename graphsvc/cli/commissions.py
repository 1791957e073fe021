"""``graphsvc plans`` and ``graphsvc commissions``: plans, runs and exports."""

from __future__ import annotations

import csv
import json
import sys

import click
from tqdm import tqdm

from ..domain import COMMISSION_RUN_STATUSES, MAX_PAGE_SIZE
from ..errors import Invalid
from .context import Context, pass_ctx

__all__ = ["plans_group", "commissions_group"]

PLAN_FIELDS = {"rates", "compression", "commissionable_kinds"}


@click.group("plans")
def plans_group():
    """Commission plans."""


@plans_group.command("put")
@click.argument("file", type=click.File("r"))
@click.option("--id", "plan_id", default=None, help="Plan id (default: the file's \"id\" field).")
@pass_ctx
def plans_put(ctx: Context, file, plan_id: str | None):
    """Create or replace a plan from JSON: {id, rates, compression, commissionable_kinds}."""
    try:
        body = json.load(file)
    except json.JSONDecodeError as exc:
        raise click.ClickException(f"{file.name} is not JSON: {exc}")
    plan_id = plan_id or body.pop("id", None)
    body.pop("id", None)
    if not plan_id:
        raise click.ClickException("the plan needs an id (--id or an \"id\" field)")
    unknown = set(body) - PLAN_FIELDS
    if unknown:
        raise click.ClickException(f"unknown plan fields: {', '.join(sorted(unknown))}")
    try:
        with ctx.audited("plans put", plan_id) as audit:
            plan = ctx.services.commissions.put_plan(plan_id, body.get("rates", []), body.get("compression", False),
                                                     body.get("commissionable_kinds", []))
            audit.detail = {k: plan[k] for k in ("version", "rates", "compression", "commissionable_kinds")}
    except Invalid as exc:
        raise click.ClickException("; ".join(m for ms in exc.errors.values() for m in ms))
    click.echo(f"Plan {plan['id']} version {plan['version']}.")


@plans_group.command("list")
@pass_ctx
def plans_list(ctx: Context):
    """Plans with their newest version, rates and kinds paid."""
    for plan in ctx.services.commissions.plans(MAX_PAGE_SIZE):
        click.echo(f"{plan['id']}  version {plan['version']} (of {len(plan['versions'])})  "
                   f"rates {' '.join(plan['rates'])}  compression {'on' if plan['compression'] else 'off'}  "
                   f"pays {', '.join(plan['commissionable_kinds'])}")


@click.group("commissions")
def commissions_group():
    """Commission runs and exports."""


@commissions_group.command("run")
@click.option("--plan", "plan_id", required=True)
@click.option("--from", "start", required=True, help="First day (or zoned time) of the period.")
@click.option("--to", "end", required=True, help="End of the period, exclusive.")
@click.option("--adjust", is_flag=True,
              help="The plan changed since its run for this period: pay the difference under the current "
                   "version in an adjustment run (instead of refusing).")
@pass_ctx
def commissions_run(ctx: Context, plan_id: str, start: str, end: str, adjust: bool = False):
    """Run (or resume) commissions for a plan and period; prints the run id, then what it paid."""
    with tqdm(desc="Paying orders", unit="order", disable=not sys.stderr.isatty(), file=sys.stderr) as bar, \
            ctx.audited("commissions run", plan_id) as audit:
        def on_total(total):
            bar.total = total
            bar.refresh()
        audit.detail = {"plan_id": plan_id, "from": start, "to": end, "adjust": adjust}
        run = ctx.services.commissions.run(plan_id, start, end, progress=bar.update, on_total=on_total, adjust=adjust)
        audit.target = run["id"]
        audit.detail |= {"plan_version": run["plan_version"], "adjusts": run["adjusts"]}
    click.echo(run["id"])
    click.echo(_summary(run))


def _summary(run: dict) -> str:
    """A run in one line: plan version, period, status, lines and totals per currency."""
    totals = "totals when complete" if run["totals"] is None else \
        ", ".join(f"{t['total']} {t['currency']}" for t in run["totals"]) or "nothing paid"
    adjusts = f"  adjusts {run['adjusts']}" if run["adjusts"] else ""
    return (f"{run['plan_id']} v{run['plan_version']}  {run['from'][:10]} to {run['to'][:10]}  {run['status']}  "
            f"{run['lines']} lines  {totals}{adjusts}")


@commissions_group.command("runs")
@click.option("--plan", "plan_id", default=None, help="Only this plan's runs.")
@click.option("--status", type=click.Choice(COMMISSION_RUN_STATUSES), default=None)
@click.option("--limit", type=click.IntRange(1, MAX_PAGE_SIZE), default=20, show_default=True)
@pass_ctx
def commissions_runs(ctx: Context, plan_id: str | None, status: str | None, limit: int):
    """Commission runs, newest first: period, plan version, status, lines and totals."""
    for run in ctx.services.commissions.runs_page(limit, None, plan_id, status)["items"]:
        click.echo(f"{run['id']}  {_summary(run)}")


@commissions_group.command("export")
@click.option("--run", "run_id", required=True)
@pass_ctx
def commissions_export(ctx: Context, run_id: str):
    """CSV beneficiary_id,total,currency of a run to stdout (nothing for an unknown run)."""
    rows = ctx.services.commissions.export_rows(run_id)
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["beneficiary_id", "total", "currency"])
    writer.writerows(rows)
