"""Every /api/v1 blueprint, in the order they appear in the OpenAPI document."""

from __future__ import annotations

from . import analysis, audit, commissions, compliance, imports, kpis, network, orders, rewards, tracking

BLUEPRINTS = [
    network.blp,
    tracking.codes_blp,
    tracking.events_blp,
    tracking.referrals_blp,
    imports.blp,
    orders.blp,
    commissions.plans_blp,
    commissions.runs_blp,
    commissions.statements_blp,
    rewards.rules_blp,
    rewards.runs_blp,
    rewards.payouts_blp,
    rewards.leaderboards_blp,
    rewards.member_blp,
    analysis.runs_blp,
    analysis.results_blp,
    compliance.blp,
    kpis.blp,
    audit.blp,
]
