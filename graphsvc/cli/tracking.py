"""``graphsvc codes``: members' referral codes."""

from __future__ import annotations

import click

from .context import Context, pass_ctx

__all__ = ["codes_group"]


def _line(code: dict) -> str:
    """A code in one line: code, member, campaign and channel, default, disabled."""
    tags = [t for t, on in (("default", code["is_default"]), ("disabled", code["disabled"])) if on]
    return (f"{code['code']}  {code['member_id']}  campaign {code['campaign'] or '-'}  "
            f"channel {code['channel'] or '-'}" + (f"  {', '.join(tags)}" if tags else ""))


@click.group("codes")
def codes_group():
    """Referral codes members share."""


@codes_group.command("list")
@click.option("--member", "member_id", required=True, help="The member whose codes to list.")
@pass_ctx
def codes_list(ctx: Context, member_id: str):
    """A member's codes, the default first (created on the first ask)."""
    for code in ctx.services.tracking.codes(member_id):
        click.echo(_line(code))


@codes_group.command("create")
@click.option("--member", "member_id", required=True, help="The member the code refers to.")
@click.option("--campaign", default=None, help="The campaign the code is for.")
@click.option("--channel", default=None, help="Where the code is shared (email, instagram, ...).")
@pass_ctx
def codes_create(ctx: Context, member_id: str, campaign: str | None, channel: str | None):
    """A new code for a campaign and channel, drawn at random."""
    with ctx.audited("codes create", member_id) as audit:
        code = ctx.services.tracking.create_code(member_id, campaign, channel)
        audit.detail = {"code": code["code"], "campaign": campaign, "channel": channel}
    click.echo(_line(code))


@codes_group.command("disable")
@click.argument("code")
@click.option("--enable", is_flag=True, help="Enable the code again instead.")
@pass_ctx
def codes_disable(ctx: Context, code: str, enable: bool):
    """Disable a code: its clicks no longer attribute signups."""
    with ctx.audited("codes disable", code) as audit:
        changed = ctx.services.tracking.set_code_disabled(code, not enable)
        audit.detail = {"disabled": changed["disabled"]}
    click.echo(_line(changed))
