"""Who may call what: one policy table, enforced for every /api/v1 request.

Each view endpoint and method names the roles it admits and whether a
member-scoped ``app`` key may call it.  A scoped key only reaches members in
its subtree: the view's ``member_id`` path argument is checked here, and a
member outside answers 404 so that existence does not leak.  An endpoint with
no policy is refused, so a new view cannot be left open by accident.

Writes (every non-GET call) are recorded in the audit trail here too, and
POSTs honour ``Idempotency-Key``.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, Response, g, request
from flask_limiter import Limiter

from ..access.service import Principal, Unauthenticated
from .problems import problem
from .services import services

__all__ = ["POLICIES", "Rule", "install"]

ALL_ROLES = frozenset({"admin", "app", "compliance", "analyst"})


@dataclass(frozen=True)
class Rule:
    roles: frozenset
    # A member-scoped app key may call it, for members inside its subtree.
    member_scoped: bool = False


def _rule(*roles: str, member_scoped: bool = False) -> Rule:
    return Rule(frozenset(roles), member_scoped)


NETWORK_READ = _rule(*ALL_ROLES, member_scoped=True)

# (endpoint, method) -> Rule.  The role matrix test walks the OpenAPI document
# and fails for any operation missing here.
POLICIES: dict[tuple[str, str], Rule] = {
    ("members.Member", "GET"): NETWORK_READ,
    ("members.Downline", "GET"): NETWORK_READ,
    ("members.Upline", "GET"): NETWORK_READ,
    ("members.Sponsor", "PUT"): _rule("admin", "app"),
    ("imports.Import", "POST"): _rule("admin"),
    ("plans.Plan", "GET"): _rule("admin", "app"),
    ("plans.Plan", "PUT"): _rule("admin"),
    ("commission_runs.CommissionRuns", "POST"): _rule("admin"),
    ("commission_runs.CommissionRun", "GET"): _rule("admin", "app"),
    ("statements.Statement", "GET"): _rule("admin", "app", member_scoped=True),
    ("analysis_runs.AnalysisRuns", "POST"): _rule("admin", "analyst"),
    ("analysis_runs.AnalysisRun", "GET"): _rule("admin", "analyst", "compliance"),
    ("analysis_results.TopReferrers", "GET"): _rule("admin", "analyst"),
    ("analysis_results.Rings", "GET"): _rule("admin", "compliance"),
    ("analysis_results.Cycles", "GET"): _rule("admin", "compliance"),
    ("compliance.Program", "GET"): _rule("admin", "compliance"),
    ("compliance.MemberBranch", "GET"): _rule("admin", "compliance"),
    ("compliance.Branches", "GET"): _rule("admin", "compliance"),
    ("compliance.Report", "GET"): _rule("admin", "compliance"),
    ("audit.Audit", "GET"): _rule("admin"),
}

_PUBLIC_PREFIXES = ("/api/v1/openapi.json", "/api/v1/docs")


def _is_api(path: str) -> bool:
    return path.startswith("/api/v1/") and not path.startswith(_PUBLIC_PREFIXES)


def _key_id_for_limit() -> str:
    # The presented key's public id (validated later); unauthenticated calls by address.
    parts = request.headers.get("Authorization", "").partition(" ")[2].split("_")
    return f"key:{parts[1]}" if len(parts) >= 3 else f"addr:{request.remote_addr}"


def _authorise() -> Response | None:
    if not _is_api(request.path) or request.method == "OPTIONS":
        return None
    access = services().access
    try:
        principal = access.authenticate(request.headers.get("Authorization"))
    except Unauthenticated as exc:
        return problem(401, "Unauthorized", str(exc), headers={"WWW-Authenticate": "Bearer"})
    g.principal = principal
    if request.routing_exception is not None:
        return None  # Flask answers 404 / 405 for a path or method that does not exist
    rule = POLICIES.get((request.endpoint, request.method))
    if rule is None or principal.role not in rule.roles:
        return problem(403, "Forbidden", "This key's role does not cover this call.")
    if principal.member_id is not None:
        if not rule.member_scoped:
            return problem(403, "Forbidden", "A member-scoped key cannot make this call.")
        target = (request.view_args or {}).get("member_id")
        if target is not None and not access.in_scope(principal, target):
            return problem(404, "Not Found", f"member {target} does not exist")
    return _replay_idempotent(principal)


def _replay_idempotent(principal: Principal) -> Response | None:
    key = request.headers.get("Idempotency-Key")
    if request.method != "POST" or not key:
        return None
    stored = services().access.replay(principal, key, request.get_data())
    if stored is None:
        return None
    g.replayed = True
    return Response(stored["body"], status=stored["status"], mimetype=stored["mimetype"])


def _record(response: Response) -> Response:
    principal: Principal | None = g.get("principal")
    if principal is None or request.method in ("GET", "HEAD", "OPTIONS") or g.get("replayed"):
        return response
    access = services().access
    key = request.headers.get("Idempotency-Key")
    if request.method == "POST" and key and response.status_code < 500:
        access.remember(principal, key, request.get_data(), response.status_code,
                        response.get_data(as_text=True), response.mimetype)
    outcome = "ok" if response.status_code < 400 else f"refused {response.status_code}"
    access.audit(principal, f"{request.method} {request.endpoint}", request.path, outcome,
                 {"view_args": request.view_args or {}, "query": request.args.to_dict()})
    return response


def install(app: Flask, limiter: Limiter) -> None:
    limiter.request_filter(lambda: not _is_api(request.path))
    app.before_request(_authorise)
    app.after_request(_record)


def make_limiter(app: Flask, default_limit: str, storage_uri: str) -> Limiter:
    # One budget per key across the API.  No X-RateLimit headers: computing them costs a
    # second storage read on every request (about a tenth of a member read's CPU).
    return Limiter(_key_id_for_limit, app=app, application_limits=[default_limit],
                   storage_uri=storage_uri, headers_enabled=False)
