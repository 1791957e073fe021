"""The request's way to the services of this process (built once in create_app)."""

from __future__ import annotations

from flask import current_app, g

from ..services import Services

__all__ = ["current_services", "audit_detail"]


def current_services() -> Services:
    """The :class:`~graphsvc.services.Services` the running app was built with."""
    return current_app.extensions["graphsvc"]


def audit_detail(**detail) -> None:
    """What this write changed, for its audit event (old and new values, versions, counts)."""
    g.audit_detail = {**g.get("audit_detail", {}), **detail}
