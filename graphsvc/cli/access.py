"""``graphsvc keys``: API keys."""

from __future__ import annotations

import click

from ..domain import ROLES
from .context import Context, pass_ctx

__all__ = ["keys_group"]


@click.group("keys")
def keys_group():
    """API keys: admin, app (optionally scoped to a member), compliance, analyst."""


@keys_group.command("create")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--member", "member_id", default=None, help="Scope an app key to this member and their downline.")
@pass_ctx
def keys_create(ctx: Context, role: str, member_id: str | None):
    """Create a key and print it once (only its hash is stored)."""
    with ctx.audited("keys create") as audit:
        key, record = ctx.services.access.create_key(role, member_id)
        audit.target, audit.detail = record["id"], {"role": role, "member_id": member_id}
    click.echo(key)


@keys_group.command("list")
@pass_ctx
def keys_list(ctx: Context):
    """Every key's id, role, scope and state."""
    for key in ctx.services.access.list_keys():
        state = f"revoked {key['revoked_at']}" if key["revoked_at"] else "active"
        scope = f" member={key['member_id']}" if key["member_id"] else ""
        click.echo(f"{key['id']}  {key['role']}{scope}  created {key['created_at']}  {state}")


@keys_group.command("revoke")
@click.argument("key_id")
@pass_ctx
def keys_revoke(ctx: Context, key_id: str):
    """Revoke a key by its id; it stops working at once."""
    with ctx.audited("keys revoke", key_id):
        ctx.services.access.revoke_key(key_id)
    click.echo(f"Revoked {key_id}.")
