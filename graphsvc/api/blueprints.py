"""Every /api/v1 blueprint, in the order they appear in the OpenAPI document."""

from __future__ import annotations

from . import audit, commissions, imports, network

BLUEPRINTS = [
    network.blp,
    imports.blp,
    commissions.plans_blp,
    commissions.runs_blp,
    commissions.statements_blp,
    audit.blp,
]
