"""Sign-in, sign-out and the page shells of the dashboard."""

from __future__ import annotations

import hmac
import secrets
from pathlib import Path

from flask import Blueprint, abort, redirect, render_template, request, send_from_directory, session, url_for

from ..access.service import Unauthenticated
from ..api.access import POLICIES
from ..api.context import current_services

__all__ = ["bp", "PAGES"]

bp = Blueprint("ui", __name__, url_prefix="/ui", template_folder="templates", static_folder="static")

# Each page, its title, and the API call it is built on: a role sees the page when the
# policy table lets it make that call.
PAGES = (
    ("overview", "Overview", ("analysis_runs.AnalysisRuns", "GET")),
    ("genealogy", "Genealogy", ("members.Downline", "GET")),
    ("vip", "VIP", ("analysis_results.TopReferrers", "GET")),
    ("kpis", "Programme", ("kpis.Kpis", "GET")),
    ("compliance", "Compliance", ("compliance.Program", "GET")),
    ("risk", "Risk", ("analysis_results.Rings", "GET")),
    ("runs", "Runs", ("analysis_runs.AnalysisRuns", "GET")),
)
# Front-end files shipped from npm (node_modules beside package.json, installed by scripts/setup).
VENDOR = {"cytoscape.min.js": Path(__file__).parent / "node_modules" / "cytoscape" / "dist"}


def _allowed(call: tuple[str, str]) -> bool:
    rule = POLICIES[call]
    return session["role"] in rule.roles and (session["member_id"] is None or rule.member_scoped)


def _csrf() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def _pages() -> list[tuple[str, str]]:
    return [(name, title) for name, title, call in PAGES if "key_id" in session and _allowed(call)]


@bp.app_context_processor
def _navigation() -> dict:
    # The API calls this session may make, for the page to leave out what it could not fetch.
    calls = sorted(f"{endpoint} {method}" for endpoint, method in POLICIES if "key_id" in session
                   and _allowed((endpoint, method)))
    return {"pages": _pages(), "csrf_token": _csrf, "signed_in": session.get("key_id"), "calls": calls,
            "role": session.get("role"), "own_member": session.get("member_id")}


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    """The sign-in form; a known key becomes a signed session cookie."""
    error = None
    if request.method == "POST":
        if not hmac.compare_digest(request.form.get("csrf", ""), _csrf()):
            abort(400, "The form expired; reload the page and sign in again.")
        try:
            principal = current_services().access.authenticate(f"Bearer {request.form.get('key', '').strip()}")
        except Unauthenticated:
            error = "That key is unknown or revoked."
        else:
            session.clear()
            session.permanent = True
            session.update(key_id=principal.key_id, role=principal.role, member_id=principal.member_id,
                           csrf=secrets.token_urlsafe(32))
            return redirect(url_for("ui.home"))
    return render_template("sign_in.html", error=error), 401 if error else 200


@bp.post("/sign-out")
def sign_out():
    """End the session (the form's CSRF token required)."""
    if not hmac.compare_digest(request.form.get("csrf", ""), session.get("csrf", "")):
        abort(400, "The form expired; reload the page.")
    session.clear()
    return redirect(url_for("ui.sign_in"))


@bp.before_request
def _signed_in():
    if request.endpoint not in ("ui.sign_in", "ui.static", "ui.vendor") and "key_id" not in session:
        return redirect(url_for("ui.sign_in"))
    return None


@bp.get("/")
def home():
    """The first page the session's role may see (an app key: its member's page)."""
    if session["member_id"]:
        return redirect(url_for("ui.member", member_id=session["member_id"]))
    pages = _pages()
    return redirect(url_for("ui.page", name=pages[0][0]) if pages else url_for("ui.sign_in"))


@bp.get("/<any(overview, genealogy, vip, kpis, compliance, risk, runs):name>")
def page(name: str):
    """A page's shell, when the session's role may make the API call it is built on."""
    call = next(call for page, _, call in PAGES if page == name)
    if not _allowed(call):
        abort(404)
    return render_template(f"{name}.html", page=name, member_id=request.args.get("member") or session["member_id"])


@bp.get("/members/<member_id>")
def member(member_id: str):
    """A member's page (its data comes from the API, which keeps an app key to its subtree)."""
    return render_template("member.html", page="member", member_id=member_id)


@bp.get("/vendor/<name>")
def vendor(name: str):
    """A front-end library installed from npm."""
    if name not in VENDOR:
        abort(404)
    return send_from_directory(VENDOR[name], name, max_age=3600)
