"""``graphsvc analyze`` and ``graphsvc report``: analysis runs, the compliance and KPI reports."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from tqdm import tqdm

from ..analysis_runs.kinds import KINDS
from .context import Context, pass_ctx

__all__ = ["analyze", "report_group"]

LIST = "runs"  # `analyze runs` lists runs rather than starting one


@click.command("analyze")
@click.argument("kind", type=click.Choice([*KINDS, LIST]))
@click.option("--from", "start", help="start of the period (compliance and kpis only)")
@click.option("--to", "end", help="end of the period, exclusive (compliance and kpis only)")
@pass_ctx
def analyze(ctx: Context, kind: str, start: str | None, end: str | None):
    """Run an analysis now, with progress; results replace the previous run's.
    ``all`` is influence, rings and cycles; compliance and kpis run over --from/--to.
    ``analyze runs`` lists the latest runs instead."""
    analysis = ctx.services.analysis
    if kind == LIST:
        for run in analysis.runs_page(20, None)["items"]:
            period = f"  {run['from'][:10]} to {run['to'][:10]}" if run["from"] else ""
            found = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in (run["summary"] or {}).items()
                              if not isinstance(v, dict))
            click.echo(f"{run['id']}  {run['kind']}{period}  {run['status']}" + (f"  {found}" if found else "")
                       + (f"  {run['error']}" if run["error"] else ""))
        return
    with ctx.audited("analyze", kind) as audit:
        run = analysis.create_run(kind, start, end)
        audit.target, audit.detail = run["id"], {"kind": kind, "from": start, "to": end}
        if not run["created"]:
            raise click.ClickException(f"analysis run {run['id']} of kind {kind} is already {run['status']}; "
                                       "wait for it (graphsvc analyze starts no second one)")
        with tqdm(total=100, desc=f"Analysis {kind}", unit="%", disable=not sys.stderr.isatty(),
                  file=sys.stderr) as bar:
            def progress(fraction, what):
                bar.set_postfix_str(what)
                bar.update(round(fraction * 100) - bar.n)
            result = analysis.execute(run["id"], progress=progress)
        if result["status"] != "complete":
            raise click.ClickException(f"analysis run {run['id']} failed: {result['error']}")
        audit.detail["summary"] = result["summary"]
    click.echo(run["id"])
    for name, value in (result["summary"] or {}).items():
        shown = ", ".join(f"{k} {v}" for k, v in value.items()) if isinstance(value, dict) else value
        click.echo(f"  {name.replace('_', ' ')}: {shown}")


@click.group("report")
def report_group():
    """Reports."""


def _report_options(command):
    """--from, --to, --format and --out, which every report takes."""
    for option in reversed([click.option("--from", "start", required=True),
                            click.option("--to", "end", required=True, help="end of the period, exclusive"),
                            click.option("--format", "fmt", type=click.Choice(["html", "csv"]), default="html",
                                         show_default=True),
                            click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)]):
        command = option(command)
    return command


@report_group.command("compliance")
@_report_options
@pass_ctx
def report_compliance(ctx: Context, start: str, end: str, fmt: str, out: Path):
    """The compliance report (HTML for reviewers, CSV of flagged members)."""
    out.write_text(ctx.services.compliance.report(start, end, fmt))
    click.echo(f"Wrote {out}.")


@report_group.command("kpis")
@_report_options
@pass_ctx
def report_kpis(ctx: Context, start: str, end: str, fmt: str, out: Path):
    """The marketer's KPI report (HTML with charts, or every figure as CSV rows)."""
    out.write_text(ctx.services.kpis.report(start, end, fmt), encoding="utf-8")
    click.echo(f"Wrote {out}.")
