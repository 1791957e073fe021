"""``graphsvc rewards``: reward rules, runs, and a member's balance and badges."""

from __future__ import annotations

import json

import click

from ..errors import Invalid
from .context import Context, pass_ctx

__all__ = ["rewards_group"]


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
    with ctx.audited("rewards run", rule_id) as audit:
        result = ctx.services.rewards.run(rule_id, through)
        audit.detail = {"run_id": result["id"], "through": result["through"]}
    click.echo(f"Reward run {result['id']} of {rule_id} v{result['rule_version']} through {result['through']}:")
    for status, count in zip(result["statuses"], result["counts"]):
        click.echo(f"  {status}: {count} lines")
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
