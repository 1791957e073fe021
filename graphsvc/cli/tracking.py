"""``graphsvc codes`` and ``graphsvc referrals``: members' referral codes, and the
referrals the network checks held."""

from __future__ import annotations

import click

from ..domain import HELD, MAX_PAGE_SIZE, REFERRAL_STATUSES
from .context import Context, pass_ctx

__all__ = ["codes_group", "referrals_group"]


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


def _referral(referral: dict) -> str:
    """A referral in one line: member, sponsor, status and why it was held."""
    reasons = f"  ({', '.join(referral['reasons'])})" if referral["reasons"] else ""
    return f"{referral['member_id']}  sponsor {referral['sponsor_id']}  {referral['status']}{reasons}"


@click.group("referrals")
def referrals_group():
    """Referrals the network checks held, and their decisions."""


@referrals_group.command("list")
@click.option("--status", type=click.Choice(REFERRAL_STATUSES), default=HELD, show_default=True)
@pass_ctx
def referrals_list(ctx: Context, status: str):
    """Referrals in one status, by member id, with the reasons they were held."""
    cursor = None
    while True:
        page = ctx.services.tracking.referrals(status, MAX_PAGE_SIZE, cursor)
        for referral in page["items"]:
            click.echo(_referral(referral))
        cursor = page["next_cursor"]
        if not cursor:
            break


@referrals_group.command("approve")
@click.argument("member_id")
@pass_ctx
def referrals_approve(ctx: Context, member_id: str):
    """Approve a held referral."""
    with ctx.audited("referrals approve", member_id) as audit:
        referral = ctx.services.tracking.approve(member_id)
        audit.detail = {"sponsor_id": referral["sponsor_id"], "reasons": referral["reasons"]}
    click.echo(_referral(referral))


@referrals_group.command("reject")
@click.argument("member_id")
@pass_ctx
def referrals_reject(ctx: Context, member_id: str):
    """Reject a held referral: the member moves under the held sponsor's own sponsor."""
    with ctx.audited("referrals reject", member_id) as audit:
        referral = ctx.services.tracking.reject(member_id)
        audit.detail = {"new_sponsor_id": referral["sponsor_id"], "reasons": referral["reasons"]}
    click.echo(_referral(referral))
