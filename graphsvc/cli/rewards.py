"""``graphsvc rewards``: reward rules, runs, and a member's balance and badges."""

from __future__ import annotations

import csv
import json
import sys

import click
from tqdm import tqdm

from ..errors import Invalid
from .context import Context, pass_ctx

__all__ = ["rewards_group", "payouts_group"]


@click.group("rewards")
def rewards_group():
    """Referral rewards: rules, runs, balances."""


@rewards_group.command("put-rule")
@click.argument("rule_id")
@click.argument("file", type=click.File("r"))
@pass_ctx
def put_rule(ctx: Context, rule_id: str, file):
    """Create or replace a reward rule from JSON (see the README's Rewards section)."""
    try:
        document = json.load(file)
    except json.JSONDecodeError as exc:
        raise click.ClickException(f"{file.name} is not JSON: {exc}")
    try:
        with ctx.audited("rewards put-rule", rule_id) as audit:
            rule = ctx.services.rewards.put_rule(rule_id, document)
            audit.detail = {"version": rule["version"]}
    except Invalid as exc:
        raise click.ClickException("; ".join(f"{field}: {' '.join(ms)}" for field, ms in exc.errors.items()))
    click.echo(f"Reward rule {rule['id']} version {rule['version']}.")


@rewards_group.command("run")
@click.option("--rule", "rule_id", required=True)
@click.option("--through", required=True, help="Evaluate events up to this time (YYYY-MM-DD or zoned ISO-8601).")
@pass_ctx
def run(ctx: Context, rule_id: str, through: str):
    """Evaluate a rule's reward lines up to a date and write them; idempotent, and holds
    whose time has come are released."""
    with ctx.audited("rewards run", rule_id) as audit, \
            tqdm(desc="Writing reward lines", unit="line", disable=not sys.stderr.isatty()) as bar:
        result = ctx.services.rewards.run(rule_id, through, progress=bar.update)
        audit.detail = {"run_id": result["id"], "through": result["through"]}
    click.echo(f"Reward run {result['id']} of {rule_id} v{result['rule_version']} through {result['through']}:")
    for status, count in zip(result["statuses"], result["counts"]):
        click.echo(f"  {status}: {count} lines")
    click.echo(f"  written: {result['written']} lines (new or changed; the others were as stored)")
    if result["canceled_since"]:
        click.echo(f"  canceled since the last run: {result['canceled_since']} lines")


@rewards_group.command("balance")
@click.argument("member_id")
@pass_ctx
def balance(ctx: Context, member_id: str):
    """A member's rewards per currency and status, and its badges."""
    for row in ctx.services.rewards.balance(member_id)["balances"]:
        click.echo(f"{row['currency']}  " + "  ".join(f"{k} {v}" for k, v in row.items() if k != "currency"))
    badges = ctx.services.rewards.badges(member_id)
    if badges:
        click.echo("badges: " + ", ".join(b["badge"] for b in badges))


@click.group("payouts")
def payouts_group():
    """Payout batches of approved commissions and rewards."""


@payouts_group.command("create")
@click.option("--through", required=True, help="Pay what was approved up to this time.")
@click.option("--minimum", "minimums", multiple=True, metavar="CUR=AMOUNT",
              help="A member's total below this waits for a later batch, e.g. EUR=20.00 (repeatable).")
@pass_ctx
def payouts_create(ctx: Context, through: str, minimums: tuple[str, ...]):
    """Create a payout batch; prints its id and what it pays."""
    minimum = dict(m.split("=", 1) for m in minimums if "=" in m)
    if len(minimum) != len(minimums):
        raise click.UsageError("--minimum takes CUR=AMOUNT, e.g. EUR=20.00")
    with ctx.audited("payouts create", through) as audit:
        batch = ctx.services.payouts.create(through, minimum)
        audit.target, audit.detail = batch["id"], {"members": len(batch["items"])}
    click.echo(f"Payout batch {batch['id']}: {len(batch['items'])} payments.")


@payouts_group.command("export")
@click.argument("batch_id")
@pass_ctx
def payouts_export(ctx: Context, batch_id: str):
    """A batch as CSV: member_id, currency, amount, statements, reward_lines."""
    writer = csv.writer(sys.stdout)
    writer.writerow(["member_id", "currency", "amount", "statements", "reward_lines"])
    for item in ctx.services.payouts.batch(batch_id)["items"]:
        writer.writerow([item[k] for k in ("member_id", "currency", "amount", "statements", "reward_lines")])


@payouts_group.command("paid")
@click.argument("batch_id")
@pass_ctx
def payouts_paid(ctx: Context, batch_id: str):
    """Mark a batch paid."""
    with ctx.audited("payouts paid", batch_id):
        batch = ctx.services.payouts.mark_paid(batch_id)
    click.echo(f"Payout batch {batch['id']} paid at {batch['paid_at']}.")
