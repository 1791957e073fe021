"""Who may call what: one policy table, enforced for every /api/v1 request.

Each view endpoint and method names the roles it admits, whether a
member-scoped ``app`` key may call it and which of its parameters name
members.  A scoped key only reaches members in its subtree: every such
parameter, in the path, the query or a JSON body, is checked here, and a
member outside answers 404 so that existence does not leak.  An endpoint with
no policy is refused, so a new view cannot be left open by accident.

A call carries a bearer key, or comes from the dashboard with its signed
session cookie (which names the key it was signed in with); a session's writes
must echo the session's CSRF token in ``X-CSRF-Token``.

Writes (every non-GET call) are recorded in the audit trail here too, and
POSTs honour ``Idempotency-Key``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import hmac

from flask import Flask, Response, g, request, session
from flask_limiter import Limiter

from ..access.service import Principal, Unauthenticated
from ..db import DatabaseUnavailable
from ..domain import ADMIN_ROLE as ADMIN, ANALYST_ROLE as ANALYST, APP_ROLE as APP
from ..domain import COMPLIANCE_ROLE as COMPLIANCE, ROLES
from .context import current_services
from .problems import PROBLEM_JSON, problem

__all__ = ["POLICIES", "Rule", "install", "make_limiter"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rule:
    """Who may call an endpoint and method."""

    roles: frozenset
    # A member-scoped app key may call it, for members inside its subtree.
    member_scoped: bool = False
    # The parameters (path, query or JSON body) naming a member a scoped key must reach.
    members: tuple[str, ...] = ("member_id",)


def _rule(*roles: str, member_scoped: bool = False, members: tuple[str, ...] = ("member_id",)) -> Rule:
    return Rule(frozenset(roles), member_scoped, members)


NETWORK_READ = _rule(*ROLES, member_scoped=True)

# (endpoint, method) -> Rule.  The role matrix test walks the OpenAPI document
# and fails for any operation missing here.
POLICIES: dict[tuple[str, str], Rule] = {
    ("members.Members", "GET"): _rule(ADMIN, COMPLIANCE, ANALYST),  # search: not for a member's own app key
    ("members.Member", "GET"): NETWORK_READ,
    ("members.Downline", "GET"): NETWORK_READ,
    ("members.Upline", "GET"): NETWORK_READ,
    ("members.Sponsor", "PUT"): _rule(ADMIN, APP),
    ("members.Signups", "POST"): _rule(ADMIN, APP),
    ("referral_codes.MemberCodes", "GET"): _rule(ADMIN, APP, member_scoped=True),
    ("referral_codes.MemberCodes", "POST"): _rule(ADMIN, APP, member_scoped=True),
    ("referral_codes.Code", "PUT"): _rule(ADMIN),
    ("referral_codes.ReferralStats", "GET"): _rule(ADMIN, APP, member_scoped=True),
    ("events.Clicks", "POST"): _rule(ADMIN, APP),
    ("referrals.Referrals", "GET"): _rule(ADMIN, COMPLIANCE),
    ("referrals.Approve", "POST"): _rule(ADMIN, COMPLIANCE),
    ("referrals.Reject", "POST"): _rule(ADMIN, COMPLIANCE),
    ("imports.Import", "POST"): _rule(ADMIN),
    ("imports.Imports", "GET"): _rule(ADMIN),
    ("orders.Orders", "POST"): _rule(ADMIN, APP),
    ("orders.Refund", "POST"): _rule(ADMIN, APP),
    ("plans.Plans", "GET"): _rule(ADMIN, APP),
    ("plans.PlanVersions", "GET"): _rule(ADMIN, APP),
    ("plans.Plan", "GET"): _rule(ADMIN, APP),
    ("plans.Plan", "PUT"): _rule(ADMIN),
    ("commission_runs.CommissionRuns", "GET"): _rule(ADMIN),
    ("commission_runs.CommissionRuns", "POST"): _rule(ADMIN),
    ("commission_runs.CommissionRun", "GET"): _rule(ADMIN, APP),
    ("statements.Statement", "GET"): _rule(ADMIN, APP, member_scoped=True),
    ("reward_rules.RewardRule", "GET"): _rule(ADMIN),
    ("reward_rules.RewardRule", "PUT"): _rule(ADMIN),
    ("reward_runs.RewardRuns", "POST"): _rule(ADMIN),
    ("payouts.Payouts", "POST"): _rule(ADMIN),
    ("leaderboards.Leaderboards", "GET"): _rule(ADMIN, APP, ANALYST),
    ("payouts.Payout", "GET"): _rule(ADMIN),
    ("payouts.PayoutPaid", "POST"): _rule(ADMIN),
    ("member_rewards.Rewards", "GET"): _rule(ADMIN, APP, member_scoped=True),
    ("member_rewards.Badges", "GET"): _rule(ADMIN, APP, member_scoped=True),
    ("analysis_runs.AnalysisRuns", "GET"): _rule(ADMIN, ANALYST, COMPLIANCE),
    ("analysis_runs.AnalysisRuns", "POST"): _rule(ADMIN, ANALYST),
    ("analysis_runs.AnalysisRun", "GET"): _rule(ADMIN, ANALYST, COMPLIANCE),
    ("analysis_results.TopReferrers", "GET"): _rule(ADMIN, ANALYST),
    ("analysis_results.Rings", "GET"): _rule(ADMIN, COMPLIANCE),
    ("analysis_results.Ring", "GET"): _rule(ADMIN, COMPLIANCE),
    ("analysis_results.RingReview", "PUT"): _rule(ADMIN, COMPLIANCE),
    ("analysis_results.Cycles", "GET"): _rule(ADMIN, COMPLIANCE),
    ("compliance.Program", "GET"): _rule(ADMIN, COMPLIANCE),
    ("compliance.MemberBranch", "GET"): _rule(ADMIN, COMPLIANCE),
    ("compliance.Branches", "GET"): _rule(ADMIN, COMPLIANCE),
    ("compliance.Report", "GET"): _rule(ADMIN, COMPLIANCE),
    ("kpis.Kpis", "GET"): _rule(ADMIN, ANALYST),
    ("kpis.AtRisk", "GET"): _rule(ADMIN, ANALYST),
    ("kpis.Report", "GET"): _rule(ADMIN, ANALYST),
    ("audit.Audit", "GET"): _rule(ADMIN),
}

_PUBLIC_PREFIXES = ("/api/v1/openapi.json", "/api/v1/docs")


def _is_api(path: str) -> bool:
    return path.startswith("/api/v1/") and not path.startswith(_PUBLIC_PREFIXES)


def _principal() -> Principal:
    """Who calls: the bearer key, or the key of a signed dashboard session (whose writes
    must carry its CSRF token); Unauthenticated otherwise."""
    access = current_services().access
    if "Authorization" in request.headers or "key_id" not in session:
        return access.authenticate(request.headers.get("Authorization"))
    if _method() != "GET" and not hmac.compare_digest(request.headers.get("X-CSRF-Token", ""), session["csrf"]):
        raise Unauthenticated("a write from a dashboard session needs its X-CSRF-Token")
    return access.principal_of(session["key_id"])


def _key_id_for_limit() -> str:
    # A verified key's budget; anything else (no key, a forged or revoked one) the caller's address's,
    # so requests naming another key's id cannot spend that key's budget.
    try:
        principal = _principal()
    except Unauthenticated:
        return f"addr:{request.remote_addr}"
    return f"key:{principal.key_id}"


def _method() -> str:
    # HEAD is GET without the body, wherever GET is allowed.
    return "GET" if request.method == "HEAD" else request.method


def _named_members(rule: Rule) -> list[str]:
    """The members this request names in the parameters the rule lists."""
    try:
        body = request.get_json(silent=True) if request.is_json else None
    except RecursionError:  # refused with a reason when the view parses it
        body = None
    sources = [request.view_args or {}, request.args, body if isinstance(body, dict) else {}]
    return [value for name in rule.members for source in sources
            if isinstance(value := source.get(name), str)]


def _authorise() -> Response | None:
    if not _is_api(request.path) or request.method == "OPTIONS":
        return None
    access = current_services().access
    try:
        principal = _principal()
    except Unauthenticated as exc:
        return problem(401, "Unauthorized", str(exc), headers={"WWW-Authenticate": "Bearer"})
    g.principal = principal
    if request.routing_exception is not None:
        return None  # Flask answers 404 / 405 for a path or method that does not exist
    rule = POLICIES.get((request.endpoint, _method()))
    if rule is None or principal.role not in rule.roles:
        return problem(403, "Forbidden", "This key's role does not cover this call.")
    if principal.member_id is not None:
        if not rule.member_scoped:
            return problem(403, "Forbidden", "A member-scoped key cannot make this call.")
        for target in _named_members(rule):
            if not access.in_scope(principal, target):
                return problem(404, "Not Found", f"member {target} does not exist")
    return _replay_idempotent(principal)


def _replay_idempotent(principal: Principal) -> Response | None:
    key = request.headers.get("Idempotency-Key")
    if request.method != "POST" or not key:
        return None
    stored = current_services().access.replay(principal, _idempotency_scope(key), request.get_data())
    if stored is None:
        return None
    g.replayed = True
    return Response(stored["body"], status=stored["status"], mimetype=stored["mimetype"])


def _idempotency_scope(key: str) -> str:
    # A key replays only the same method on the same path: reusing it elsewhere is a new request.
    return f"{request.method} {request.path} {key}"


def _record(response: Response) -> Response:
    principal: Principal | None = g.get("principal")
    if principal is None or request.method in ("GET", "HEAD", "OPTIONS") or g.get("replayed"):
        return response
    access = current_services().access
    key = request.headers.get("Idempotency-Key")
    detail = {"view_args": request.view_args or {}, "query": request.args.to_dict(), **g.get("audit_detail", {})}
    if response.status_code >= 400 and response.mimetype == PROBLEM_JSON:
        detail["problem"] = (response.get_json(silent=True) or {}).get("detail", "")
    outcome = "ok" if response.status_code < 400 else f"refused {response.status_code}"
    try:
        if request.method == "POST" and key and response.status_code < 500:
            access.remember(principal, _idempotency_scope(key), request.get_data(), response.status_code,
                            response.get_data(as_text=True), response.mimetype)
        access.audit(principal, f"{request.method} {request.endpoint}", request.path, outcome, detail)
    except DatabaseUnavailable:
        # The write itself already failed (503) or Neo4j went away since: say so in the log.
        log.warning("audit of %s %s (%s) not recorded: Neo4j unavailable", request.method, request.path, outcome)
    return response


def install(app: Flask, limiter: Limiter) -> None:
    """Enforce the policies and record writes on every API request of ``app``."""
    limiter.request_filter(lambda: not _is_api(request.path))
    app.before_request(_authorise)
    app.after_request(_record)


def make_limiter(app: Flask, default_limit: str, storage_uri: str) -> Limiter:
    """The per-key rate limiter of ``app``."""
    # One budget per key across the API.  No X-RateLimit headers: computing them costs a
    # second storage read on every request (about a tenth of a member read's CPU).
    return Limiter(_key_id_for_limit, app=app, application_limits=[default_limit],
                   storage_uri=storage_uri, headers_enabled=False)
