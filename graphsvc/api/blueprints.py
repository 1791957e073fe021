"""Every /api/v1 blueprint, in the order they appear in the OpenAPI document."""

from __future__ import annotations

BLUEPRINTS: list = []
