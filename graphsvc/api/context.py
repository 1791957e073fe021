"""The request's way to the services of this process (built once in create_app)."""

from __future__ import annotations

from flask import current_app

from ..services import Services

__all__ = ["current_services"]


def current_services() -> Services:
    """The :class:`~graphsvc.services.Services` the running app was built with."""
    return current_app.extensions["graphsvc"]
