"""Every /api/v1 blueprint, in the order they appear in the OpenAPI document."""

from __future__ import annotations

from . import audit, imports, network

BLUEPRINTS = [network.blp, imports.blp, audit.blp]
