"""Compliance: programme checks, a member's branch, riskiest branches, the report."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView
from marshmallow import validate

from ..compliance.service import BRANCH_FLOOR
from ..domain import ORDER_KINDS
from .arguments import Blueprint, PeriodArgs, ReportArgs, download
from .context import current_services

blp = Blueprint("compliance", __name__, url_prefix="/api/v1/compliance",
                description="Recruitment-vs-sales checks (FTC and EU rules)")

MAX_BRANCHES = 1000


class BranchArgs(PeriodArgs):
    """Query of GET /compliance/branches."""

    limit = ma.fields.Integer(load_default=20, validate=validate.Range(1, MAX_BRANCHES))
    min_size = ma.fields.Integer(load_default=BRANCH_FLOOR, validate=validate.Range(BRANCH_FLOOR, 10**9),
                                 metadata={"description": f"at least {BRANCH_FLOOR}: tiny branches do not crowd the list"})


AmountsByKindSchema = ma.Schema.from_dict({k: ma.fields.String() for k in ORDER_KINDS}, name="AmountsByKindSchema")


def _by_kind(description: str) -> ma.fields.Nested:
    return ma.fields.Nested(AmountsByKindSchema, metadata={"description": description})


class ListedSchema(ma.Schema):
    """A member-month behind a rule's figure."""

    member_id = ma.fields.String()
    month = ma.fields.String()
    retail = ma.fields.String()
    volume = ma.fields.String()


class CheckSchema(ma.Schema):
    """One rule's outcome with threshold, observed value and source."""

    rule = ma.fields.String()
    description = ma.fields.String()
    threshold = ma.fields.Float()
    observed = ma.fields.Float(allow_none=True)
    passed = ma.fields.Boolean(allow_none=True)
    source = ma.fields.String()
    listed = ma.fields.List(ma.fields.Nested(ListedSchema))


class IncomeSchema(ma.Schema):
    """Income figures of the participants."""

    participants = ma.fields.Integer()
    with_zero_commission = ma.fields.Float(allow_none=True)
    median_commission = ma.fields.String()
    top_1pct_share = ma.fields.Float(allow_none=True)
    net_loss_share = ma.fields.Float(allow_none=True)


class ProgramSchema(ma.Schema):
    """Programme-wide figures and rule checks over a period."""

    from_ = ma.fields.String(data_key="from", attribute="from")
    to = ma.fields.String()
    currency = ma.fields.String(metadata={
        "description": "the period's currency; when it holds several, GRAPHSVC_REPORTING_CURRENCY, every amount "
                       "converted at its currency's rate in the month of its order (graphsvc import --fx-rates)"})
    volumes = _by_kind("paid volume by order kind")
    volumes_by_currency = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Nested(AmountsByKindSchema),
                                         metadata={"description": "when amounts were converted: the paid volume "
                                                                  "by kind in each currency, before conversion"})
    commissions_by_kind = _by_kind("ledger totals by the kind of order paid on")
    end_user_commission_share = ma.fields.Float(allow_none=True)
    checks = ma.fields.List(ma.fields.Nested(CheckSchema))
    income = ma.fields.Nested(IncomeSchema)


class BranchSchema(ma.Schema):
    """The figures of one member's branch."""

    member_id = ma.fields.String()
    branch_size = ma.fields.Integer()
    volumes = _by_kind("paid volume in the branch by order kind")
    commissions_by_kind = _by_kind("commissions earned in the branch by order kind")
    distinct_retail_customers = ma.fields.Integer()
    recruitment_ratio = ma.fields.Float(allow_none=True, metadata={"description": "null when unbounded or empty"})
    recruitment_ratio_unbounded = ma.fields.Boolean()
    flags = ma.fields.List(ma.fields.String())


class BranchesSchema(ma.Schema):
    """Ranked branches."""

    items = ma.fields.List(ma.fields.Nested(BranchSchema))


@blp.route("/program")
class Program(MethodView):
    """GET /compliance/program."""

    @blp.arguments(PeriodArgs, location="query")
    @blp.response(200, ProgramSchema)
    def get(self, args):
        """Every rule with threshold, observed value, outcome and source; volumes; income figures."""
        return current_services().compliance.program(args["from_"], args["to"])


@blp.route("/members/<member_id>")
class MemberBranch(MethodView):
    """GET /compliance/members/{member_id}."""

    @blp.arguments(PeriodArgs, location="query")
    @blp.response(200, BranchSchema)
    def get(self, args, member_id):
        """The member's branch (the member and everyone below) over the period."""
        return current_services().compliance.member(member_id, args["from_"], args["to"])


@blp.route("/branches")
class Branches(MethodView):
    """GET /compliance/branches."""

    @blp.arguments(BranchArgs, location="query")
    @blp.response(200, BranchesSchema)
    def get(self, args):
        """Branches of at least min_size members, most recruitment-driven first."""
        return {"items": current_services().compliance.ranked_branches(args["from_"], args["to"], args["limit"],
                                                               args["min_size"])}


@blp.route("/report")
class Report(MethodView):
    """GET /compliance/report."""

    @blp.arguments(ReportArgs, location="query")
    @blp.response(200, description="The HTML report, or CSV of flagged members",
                  content_type="text/html")
    def get(self, args):
        """The reviewer's report as a download."""
        return download(current_services().compliance.report(args["from_"], args["to"], args["format"]),
                        "compliance", args)
