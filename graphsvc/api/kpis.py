"""Programme KPIs: the figures of a period by month, campaign or channel, the
members at risk when their sponsor leaves, and the marketer's report."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView
from marshmallow import validate

from ..kpis.report import DEFINITIONS
from ..kpis.service import BREAKDOWNS, DEFAULT_FIRST_ORDER_DAYS, MAX_FIRST_ORDER_DAYS
from .arguments import Blueprint, PeriodArgs, ReportArgs, download
from .context import current_services

blp = Blueprint("kpis", __name__, url_prefix="/api/v1/kpis",
                description="Is the referral programme working? Figures measured on the referral tree. "
                            + "; ".join(f"{name}: {text}" for name, text in DEFINITIONS.items()))

MAX_AT_RISK = 1000


class KpiArgs(PeriodArgs):
    """Query of GET /kpis."""

    by = ma.fields.String(load_default="month", validate=validate.OneOf(BREAKDOWNS))
    first_order_days = ma.fields.Integer(load_default=DEFAULT_FIRST_ORDER_DAYS,
                                         validate=validate.Range(1, MAX_FIRST_ORDER_DAYS),
                                         metadata={"description": "the window for signup → first order"})


class AtRiskArgs(PeriodArgs):
    """Query of GET /kpis/at-risk."""

    limit = ma.fields.Integer(load_default=100, validate=validate.Range(1, MAX_AT_RISK))


def _ratio(description: str) -> ma.fields.Dict:
    return ma.fields.Dict(metadata={"description": f"{description}: {{value, numerator, denominator, reason}}, "
                                                   "value null with the reason when the denominator is 0"})


class FunnelSchema(ma.Schema):
    """The referral funnel of a period or group."""

    key = ma.fields.String(allow_none=True, metadata={"description": "the month, campaign or channel (null: none)"})
    clicks = ma.fields.Integer()
    unique_visitors = ma.fields.Integer()
    sharers = ma.fields.Integer()
    referred_signups = ma.fields.Integer()
    signups_by_click = ma.fields.Integer()
    signups_by_code = ma.fields.Integer()
    first_orders = ma.fields.Integer()
    share_through = _ratio(DEFINITIONS["share_through"])
    click_to_signup = _ratio(DEFINITIONS["click_to_signup"])
    signup_to_first_order = _ratio(DEFINITIONS["signup_to_first_order"])
    referred_sales = ma.fields.Dict(metadata={"description": "per currency, decimal strings: "
                                                             + DEFINITIONS["referred_sales"]})


class ProgrammeSchema(FunnelSchema):
    """The funnel and the programme-wide figures of a period or month."""

    active_members = ma.fields.Integer()
    new_members = ma.fields.Integer()
    participation_rate = _ratio(DEFINITIONS["participation_rate"])
    referral_rate = _ratio(DEFINITIONS["referral_rate"])
    sales = ma.fields.Dict(metadata={"description": "per currency {by_kind, retail, own_purchases}: "
                                                    + DEFINITIONS["sales"]})
    cost = ma.fields.Dict(metadata={"description": "per currency {commissions, rewards, total}: " + DEFINITIONS["cost"]})
    cac = ma.fields.Dict(metadata={"description": "per currency {value, cost, referred_members, reason}: "
                                                  + DEFINITIONS["cac"]})
    roi = ma.fields.Dict(metadata={"description": "per currency, a ratio of decimal strings: " + DEFINITIONS["roi"]})


class HeadlineSchema(ProgrammeSchema):
    """The whole period's figures."""

    at_risk = ma.fields.Integer(metadata={"description": DEFINITIONS["at_risk"]})
    at_risk_downline = ma.fields.Integer()


class CohortSchema(ma.Schema):
    """A monthly join cohort."""

    month = ma.fields.String()
    members = ma.fields.Integer()
    referred = ma.fields.Integer()
    retention = ma.fields.Dict(metadata={"description": "referred / not_referred: a ratio per month since joining; "
                                                        + DEFINITIONS["retention"]})
    clv = ma.fields.Dict(metadata={"description": "referred / not_referred: {members, revenue, per_member, reason}; "
                                                  + DEFINITIONS["clv"]})
    clv_complete = ma.fields.Boolean(metadata={"description": "every member has had 365 days"})
    k = ma.fields.Dict(metadata={"description": "30d / 90d ratios: " + DEFINITIONS["k"]})
    cascade = ma.fields.Dict(metadata={"description": "{depth, widest_level, size}: " + DEFINITIONS["cascade"]})


class KpisSchema(ma.Schema):
    """The KPIs of a period, one breakdown's groups and the join cohorts."""

    run_id = ma.fields.String(allow_none=True, metadata={"description": "the KPI run served from; null: computed now"})
    from_ = ma.fields.String(data_key="from", attribute="from")
    to = ma.fields.String()
    first_order_days = ma.fields.Integer()
    computed_at = ma.fields.String()
    headline = ma.fields.Nested(HeadlineSchema)
    by = ma.fields.String()
    groups = ma.fields.List(ma.fields.Nested(ProgrammeSchema), metadata={
        "description": "by month: every figure of the month; by campaign or channel: the funnel"})
    cohorts = ma.fields.List(ma.fields.Nested(CohortSchema))


class AtRiskMemberSchema(ma.Schema):
    """A member whose sponsor stopped being active in the period."""

    member_id = ma.fields.String()
    sponsor_id = ma.fields.String()
    sponsor_status = ma.fields.String()
    sponsor_status_since = ma.fields.String()
    downline_total = ma.fields.Integer()
    sales = ma.fields.Dict(metadata={"description": "the member's paid sales in the period, per currency"})


class AtRiskSchema(ma.Schema):
    """Members at risk, biggest downline first."""

    from_ = ma.fields.String(data_key="from", attribute="from")
    to = ma.fields.String()
    items = ma.fields.List(ma.fields.Nested(AtRiskMemberSchema))


@blp.route("")
class Kpis(MethodView):
    """GET /kpis."""

    @blp.arguments(KpiArgs, location="query")
    @blp.response(200, KpisSchema)
    def get(self, args):
        """The period's KPIs: from the newest KPI run when it covered exactly this period, else computed now."""
        return current_services().kpis.breakdown(args["from_"], args["to"], args["by"], args["first_order_days"])


@blp.route("/at-risk")
class AtRisk(MethodView):
    """GET /kpis/at-risk."""

    @blp.arguments(AtRiskArgs, location="query")
    @blp.response(200, AtRiskSchema)
    def get(self, args):
        """Active members whose sponsor became inactive or terminated in the period (referrer-dependent churn)."""
        return current_services().kpis.at_risk(args["from_"], args["to"], args["limit"])


@blp.route("/report")
class Report(MethodView):
    """GET /kpis/report."""

    @blp.arguments(ReportArgs, location="query")
    @blp.response(200, description="The HTML report, or every figure as CSV rows", content_type="text/html")
    def get(self, args):
        """The marketer's report as a download."""
        return download(current_services().kpis.report(args["from_"], args["to"], args["format"]), "kpis", args)
