"""Analysis runs (influence, rings, cycles, compliance, kpis) and their latest results."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView
from marshmallow import validate

from ..analysis_runs.kinds import KINDS
from ..domain import ANALYSIS_RUN_STATUSES, RING_REVIEW_STATUSES
from .arguments import Blueprint, LoadSchema, PageArgs, page_of
from .context import audit_detail, current_services

runs_blp = Blueprint("analysis_runs", __name__, url_prefix="/api/v1/analysis/runs", description="Analysis runs")
results_blp = Blueprint("analysis_results", __name__, url_prefix="/api/v1",
                        description="Top referrers, rings and cycles from the latest runs")

MAX_RESULTS = 1000


class AnalysisRunInSchema(LoadSchema):
    """The body of POST /analysis/runs: the kind, and a period for a compliance or kpis run."""

    kind = ma.fields.String(required=True, validate=validate.OneOf(list(KINDS)))
    from_ = ma.fields.String(data_key="from", validate=validate.Length(1, 40),
                             metadata={"description": "start of the period (compliance and kpis runs only)"})
    to = ma.fields.String(validate=validate.Length(1, 40),
                          metadata={"description": "end of the period, exclusive (compliance and kpis runs only)"})


class AnalysisRunsArgs(PageArgs):
    """Query of GET /analysis/runs."""

    kind = ma.fields.String(load_default=None, validate=validate.OneOf(list(KINDS)))
    status = ma.fields.String(load_default=None, validate=validate.OneOf(ANALYSIS_RUN_STATUSES))


class AnalysisRunSchema(ma.Schema):
    """An analysis run: kind, status, progress, period, times and error."""

    id = ma.fields.String()
    kind = ma.fields.String()
    status = ma.fields.String()
    from_ = ma.fields.String(data_key="from", attribute="from", allow_none=True)
    to = ma.fields.String(allow_none=True)
    progress = ma.fields.Float()
    started_at = ma.fields.String(allow_none=True)
    finished_at = ma.fields.String(allow_none=True)
    error = ma.fields.String(allow_none=True)
    summary = ma.fields.Dict(allow_none=True, metadata={
        "description": "what a complete run found: tiers and referrers_scored (influence); rings, "
                       "high_risk_rings, new_rings, largest_farm (rings); cycles, multiple_sponsors (cycles)"})


class TopArgs(LoadSchema):
    """Query of GET /referrers/top."""

    limit = ma.fields.Integer(load_default=50, validate=validate.Range(1, MAX_RESULTS))


class ComponentsSchema(ma.Schema):
    """What a referrer's score is made of."""

    direct_recruits = ma.fields.Integer()
    downline_total = ma.fields.Integer(metadata={"description": "members below, at any depth"})
    active_downline = ma.fields.Integer(allow_none=True, metadata={"description": "of them, active ones"})
    downline_sales = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(), allow_none=True, metadata={
        "description": "paid sales below per currency, decimal strings (null: a run from before this was kept)"})
    pagerank = ma.fields.Float(metadata={"description": "credit flowing up the referral edges, seeded by sales"})
    retention = ma.fields.Float(metadata={"description": "share of direct recruits still active"})
    score_inputs = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Float(), allow_none=True, metadata={
        "description": "what the score weighs, each divided by its largest value: downline_total, active_downline "
                       "and downline_volume (sales below, each currency scaled to count as much as the largest; no "
                       "exchange rates) with each level down worth half the one above, pagerank, retention"})


class ReferrerSchema(ma.Schema):
    """A scored referrer with tier and components."""

    id = ma.fields.String()
    score = ma.fields.Float()
    tier = ma.fields.String()
    components = ma.fields.Nested(ComponentsSchema)


class TopSchema(ma.Schema):
    """The best referrers of the newest influence results."""

    run_id = ma.fields.String(allow_none=True)
    items = ma.fields.List(ma.fields.Nested(ReferrerSchema))


class RingArgs(LoadSchema):
    """Query of GET /rings."""

    min_score = ma.fields.Float(load_default=None, validate=validate.Range(0, 1))
    limit = ma.fields.Integer(load_default=100, validate=validate.Range(1, MAX_RESULTS))


class SharedSchema(ma.Schema):
    """How many identifiers of one kind a ring's members share."""

    kind = ma.fields.String()
    count = ma.fields.Integer()


class ReviewSchema(ma.Schema):
    """A reviewer's verdict on a ring; it holds while the ring's members stay the same."""

    status = ma.fields.String(metadata={"description": "confirmed or dismissed"})
    note = ma.fields.String()
    reviewed_at = ma.fields.String()


class RingSchema(ma.Schema):
    """A ring of accounts with its score and reasons."""

    id = ma.fields.String(metadata={"description": "derived from the members: the same members, the same id"})
    members = ma.fields.List(ma.fields.String())
    score = ma.fields.Float()
    reasons = ma.fields.List(ma.fields.String(), metadata={
        "description": "strong_shared, self_referral, join_window, commission_sink, referral_chain, farm"})
    shared = ma.fields.List(ma.fields.Nested(SharedSchema))
    size = ma.fields.Integer()
    farm_size = ma.fields.Integer(metadata={
        "description": "accounts on the ring's most used device or card, when more than noise allows (else 0)"})
    internal_referrals = ma.fields.Integer()
    new = ma.fields.Boolean(metadata={"description": "not in the results before these"})
    review = ma.fields.Nested(ReviewSchema, allow_none=True)


class RingMemberSchema(ma.Schema):
    """A ring member as a reviewer sees it."""

    id = ma.fields.String()
    joined_at = ma.fields.String(allow_none=True)
    status = ma.fields.String(allow_none=True)
    sponsor_id = ma.fields.String(allow_none=True)
    sponsored_inside = ma.fields.Boolean(metadata={"description": "the sponsor is in the ring too"})


class RingCommissionSchema(ma.Schema):
    """Commissions ring members earned on ring members' sales, in one currency."""

    currency = ma.fields.String()
    total = ma.fields.String()


class RingDetailSchema(RingSchema):
    """One ring with what a reviewer needs (identifier kinds, never values)."""

    run_id = ma.fields.String()
    members = ma.fields.List(ma.fields.Nested(RingMemberSchema))
    commissions = ma.fields.List(ma.fields.Nested(RingCommissionSchema))


class ReviewInSchema(LoadSchema):
    """The body of PUT /rings/{ring_id}/review."""

    status = ma.fields.String(required=True, validate=validate.OneOf(RING_REVIEW_STATUSES))
    note = ma.fields.String(load_default="", validate=validate.Length(max=2000))


class RingsSchema(ma.Schema):
    """Rings of the newest rings results."""

    run_id = ma.fields.String(allow_none=True)
    items = ma.fields.List(ma.fields.Nested(RingSchema))


class CycleSchema(ma.Schema):
    """One referral cycle, member by member."""

    members = ma.fields.List(ma.fields.String())


class MultiSponsorSchema(ma.Schema):
    """A member that stored data gives several sponsors."""

    id = ma.fields.String()
    sponsors = ma.fields.List(ma.fields.String())


class CyclesSchema(ma.Schema):
    """The newest cycle report."""

    run_id = ma.fields.String(allow_none=True)
    cycles = ma.fields.List(ma.fields.Nested(CycleSchema))
    multi_sponsor = ma.fields.List(ma.fields.Nested(MultiSponsorSchema))
    truncated = ma.fields.Boolean()


@runs_blp.route("")
class AnalysisRuns(MethodView):
    """GET and POST /analysis/runs."""

    @runs_blp.arguments(AnalysisRunsArgs, location="query")
    @runs_blp.response(200, page_of(AnalysisRunSchema, "analysis runs"))
    def get(self, args):
        """Analysis runs, newest first, of one kind and in one status when asked."""
        return current_services().analysis.runs_page(args["limit"], args["cursor"], args["kind"], args["status"])

    @runs_blp.arguments(AnalysisRunInSchema)
    @runs_blp.response(202, AnalysisRunSchema)
    def post(self, body):
        """Start an analysis run in the background; poll it for progress."""
        run = current_services().analysis.start_in_background(body["kind"], body.get("from_"), body.get("to"))
        audit_detail(run_id=run["id"], kind=body["kind"], **{"from": body.get("from_"), "to": body.get("to")})
        return run


@runs_blp.route("/<run_id>")
class AnalysisRun(MethodView):
    """GET /analysis/runs/{run_id}."""

    @runs_blp.response(200, AnalysisRunSchema)
    def get(self, run_id):
        """A run's status, progress, times and error."""
        return current_services().analysis.get_run(run_id)


@results_blp.route("/referrers/top")
class TopReferrers(MethodView):
    """GET /referrers/top."""

    @results_blp.arguments(TopArgs, location="query")
    @results_blp.response(200, TopSchema)
    def get(self, args):
        """Best-scored referrers with their tier and the components behind the score."""
        return current_services().analysis.top_referrers(args["limit"])


@results_blp.route("/rings")
class Rings(MethodView):
    """GET /rings."""

    @results_blp.arguments(RingArgs, location="query")
    @results_blp.response(200, RingsSchema)
    def get(self, args):
        """Rings of accounts sharing identifiers; without min_score, the high-risk ones."""
        return current_services().analysis.rings(args["min_score"], args["limit"])


@results_blp.route("/rings/<ring_id>")
class Ring(MethodView):
    """GET /rings/{ring_id}."""

    @results_blp.response(200, RingDetailSchema)
    def get(self, ring_id):
        """One ring of the newest results: members, sponsorships and commissions inside it, review."""
        return current_services().analysis.ring(ring_id)


@results_blp.route("/rings/<ring_id>/review")
class RingReview(MethodView):
    """PUT /rings/{ring_id}/review."""

    @results_blp.arguments(ReviewInSchema)
    @results_blp.response(200, RingDetailSchema)
    def put(self, body, ring_id):
        """Confirm or dismiss a ring, with a note; later runs keep it while its members stay the same."""
        ring = current_services().analysis.review_ring(ring_id, body["status"], body["note"])
        audit_detail(status=body["status"], note=body["note"], members=len(ring["members"]))
        return ring


@results_blp.route("/cycles")
class Cycles(MethodView):
    """GET /cycles."""

    @results_blp.response(200, CyclesSchema)
    def get(self):
        """Referral cycles and members with several sponsors in the stored data."""
        return current_services().analysis.cycles()
