"""The services of this process, built once in create_app and shared by views."""

from __future__ import annotations

from flask import current_app

from ..services import Services

__all__ = ["services"]


def services() -> Services:
    return current_app.extensions["graphsvc"]
