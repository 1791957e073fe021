"""Commission plans, runs and member statements."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView
from marshmallow import validate

from ..domain import COMMISSION_RUN_STATUSES, MAX_LEVELS, MAX_PAGE_SIZE, ORDER_KINDS, PLAN_ID
from .arguments import Blueprint, LoadSchema, PageArgs, page_of
from .context import audit_detail, current_services

plans_blp = Blueprint("plans", __name__, url_prefix="/api/v1/plans", description="Commission plans")
runs_blp = Blueprint("commission_runs", __name__, url_prefix="/api/v1/commission-runs",
                     description="Commission runs")
statements_blp = Blueprint("statements", __name__, url_prefix="/api/v1/members",
                           description="Member commission statements")


class PlanInSchema(LoadSchema):
    """The body of PUT /plans/{plan_id}."""

    rates = ma.fields.List(ma.fields.String(validate=validate.Length(max=20)), required=True,
                           validate=validate.Length(1, MAX_LEVELS))
    compression = ma.fields.Boolean(required=True)
    commissionable_kinds = ma.fields.List(ma.fields.String(validate=validate.OneOf(ORDER_KINDS)),
                                          required=True, validate=validate.Length(1, len(ORDER_KINDS)))


class PlanSchema(ma.Schema):
    """A plan version."""

    id = ma.fields.String()
    version = ma.fields.Integer()
    rates = ma.fields.List(ma.fields.String())
    compression = ma.fields.Boolean()
    commissionable_kinds = ma.fields.List(ma.fields.String())
    created_at = ma.fields.String()


class PlansArgs(LoadSchema):
    """Query of GET /plans."""

    limit = ma.fields.Integer(load_default=100, validate=validate.Range(1, MAX_PAGE_SIZE))


class PlanListedSchema(PlanSchema):
    """A plan's newest version and the numbers of all its versions."""

    versions = ma.fields.List(ma.fields.Integer())


class PlansSchema(ma.Schema):
    """Plans by id."""

    items = ma.fields.List(ma.fields.Nested(PlanListedSchema))


class PlanVersionsSchema(ma.Schema):
    """Every version of a plan, oldest first."""

    items = ma.fields.List(ma.fields.Nested(PlanSchema))


class RunsArgs(PageArgs):
    """Query of GET /commission-runs."""

    plan_id = ma.fields.String(load_default=None, validate=validate.Regexp(PLAN_ID))
    status = ma.fields.String(load_default=None, validate=validate.OneOf(COMMISSION_RUN_STATUSES))


class CommissionRunInSchema(LoadSchema):
    """The body of POST /commission-runs."""

    plan_id = ma.fields.String(required=True, validate=validate.Regexp(PLAN_ID))
    from_ = ma.fields.String(required=True, data_key="from", validate=validate.Length(1, 40))
    to = ma.fields.String(required=True, validate=validate.Length(1, 40))
    adjust = ma.fields.Boolean(load_default=False, metadata={
        "description": "when the plan changed since its run for this period: run (or find) the adjustment run "
                       "that pays the difference under the current version, instead of answering 409"})


class CurrencyTotalSchema(ma.Schema):
    """A run's total in one currency."""

    currency = ma.fields.String()
    total = ma.fields.String()
    lines = ma.fields.Integer()


class CommissionRunSchema(ma.Schema):
    """A commission run: plan, period, status, progress and totals."""

    id = ma.fields.String()
    plan_id = ma.fields.String()
    plan_version = ma.fields.Integer()
    from_ = ma.fields.String(data_key="from", attribute="from")
    to = ma.fields.String()
    adjusts = ma.fields.String(allow_none=True, metadata={"description": "the run an adjustment run adjusts"})
    status = ma.fields.String()
    progress = ma.fields.Float()
    started_at = ma.fields.String(allow_none=True)
    finished_at = ma.fields.String(allow_none=True)
    error = ma.fields.String(allow_none=True, metadata={"description": "why a failed run stopped"})
    total = ma.fields.String(allow_none=True)
    currency = ma.fields.String(allow_none=True)
    totals = ma.fields.List(ma.fields.Nested(CurrencyTotalSchema), allow_none=True, metadata={
        "description": "per currency, stored when the run completed (null until then)"})
    lines = ma.fields.Integer(metadata={"description": "ledger lines (so far, while the run runs)"})


class StatementArgs(PageArgs):
    """Query of GET /members/{member_id}/commissions."""

    run = ma.fields.String(required=True, validate=validate.Length(1, 64))
    limit = ma.fields.Integer(load_default=MAX_PAGE_SIZE, validate=validate.Range(1, MAX_PAGE_SIZE))


class StatementTotalSchema(ma.Schema):
    """A member's total in one currency in a run."""

    currency = ma.fields.String()
    total = ma.fields.String()


class StatementLineSchema(ma.Schema):
    """One ledger line of a statement."""

    order_id = ma.fields.String()
    level = ma.fields.Integer()
    rate = ma.fields.String()
    amount = ma.fields.String()
    currency = ma.fields.String()
    kind = ma.fields.String(metadata={"description": "commission, adjustment (a plan change's difference) "
                                                     "or reversal (of a refunded order's line)"})
    order_kind = ma.fields.String()


class StatementSchema(ma.Schema):
    """A member's ledger lines and totals per currency in one run."""

    member_id = ma.fields.String()
    run_id = ma.fields.String()
    total = ma.fields.String(allow_none=True, metadata={"description": "the total when the lines are in one "
                                                                       "currency (null for several: see totals)"})
    currency = ma.fields.String(allow_none=True)
    totals = ma.fields.List(ma.fields.Nested(StatementTotalSchema), allow_none=True, metadata={
        "description": "per currency, from the totals the run stored when it completed (null until then)"})
    lines = ma.fields.List(ma.fields.Nested(StatementLineSchema), metadata={
        "description": "in the order the run wrote them: batch by batch, by order and level within a batch"})
    next_cursor = ma.fields.String(allow_none=True)


@plans_blp.route("")
class Plans(MethodView):
    """GET /plans."""

    @plans_blp.arguments(PlansArgs, location="query")
    @plans_blp.response(200, PlansSchema)
    def get(self, args):
        """Plans by id: each its newest version and the numbers of all its versions."""
        return {"items": current_services().commissions.plans(args["limit"])}


@plans_blp.route("/<plan_id>/versions")
class PlanVersions(MethodView):
    """GET /plans/{plan_id}/versions."""

    @plans_blp.response(200, PlanVersionsSchema)
    def get(self, plan_id):
        """Every version of a plan, oldest first (runs keep the version they paid)."""
        return {"items": current_services().commissions.plan_versions(plan_id)}


@plans_blp.route("/<plan_id>")
class Plan(MethodView):
    """GET and PUT /plans/{plan_id}."""

    @plans_blp.response(200, PlanSchema)
    def get(self, plan_id):
        """The current version of a plan."""
        return current_services().commissions.plan(plan_id)

    @plans_blp.arguments(PlanInSchema)
    @plans_blp.response(200, PlanSchema)
    def put(self, body, plan_id):
        """Create or replace a plan; earlier versions are kept for the runs that used them."""
        plan = current_services().commissions.put_plan(plan_id, **body)
        audit_detail(version=plan["version"], rates=plan["rates"], compression=plan["compression"],
                     commissionable_kinds=plan["commissionable_kinds"])
        return plan


@runs_blp.route("")
class CommissionRuns(MethodView):
    """GET and POST /commission-runs."""

    @runs_blp.arguments(RunsArgs, location="query")
    @runs_blp.response(200, page_of(CommissionRunSchema, "commission runs"))
    def get(self, args):
        """Commission runs, newest first, of one plan and in one status when asked."""
        return current_services().commissions.runs_page(args["limit"], args["cursor"], args["plan_id"], args["status"])

    @runs_blp.arguments(CommissionRunInSchema)
    @runs_blp.response(201, CommissionRunSchema)
    def post(self, body):
        """Run commissions for a plan over [from, to); the same plan and period returns the same run.

        409 when that run paid an older version of the plan; with `adjust: true`, the
        adjustment run to the current version instead (lines of kind `adjustment`)."""
        run = current_services().commissions.run(body["plan_id"], body["from_"], body["to"], adjust=body["adjust"])
        audit_detail(run_id=run["id"], plan_id=run["plan_id"], plan_version=run["plan_version"], adjusts=run["adjusts"],
                     **{"from": run["from"], "to": run["to"]})
        return run


@runs_blp.route("/<run_id>")
class CommissionRun(MethodView):
    """GET /commission-runs/{run_id}."""

    @runs_blp.response(200, CommissionRunSchema)
    def get(self, run_id):
        """A run's status, progress and totals."""
        return current_services().commissions.get_run(run_id)


@statements_blp.route("/<member_id>/commissions")
class Statement(MethodView):
    """GET /members/{member_id}/commissions."""

    @statements_blp.arguments(StatementArgs, location="query")
    @statements_blp.response(200, StatementSchema)
    def get(self, args, member_id):
        """A page of a member's ledger lines in one run, with their totals per currency."""
        return current_services().commissions.statement(member_id, args["run"], args["limit"], args["cursor"])
