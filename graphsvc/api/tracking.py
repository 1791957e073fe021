"""Referral tracking: members' codes, click events and live signups."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView
from marshmallow import validate

from ..domain import HELD, IDENTIFIER_KINDS, MEMBER_ID, MEMBER_STATUSES, REFERRAL_CODE, REFERRAL_STATUSES
from .arguments import Blueprint, LoadSchema, PageArgs, event_batch, page_of
from .context import audit_detail, current_services
from .network import MemberSchema, blp as members_blp

codes_blp = Blueprint("referral_codes", __name__, url_prefix="/api/v1", description="Referral codes")
referrals_blp = Blueprint("referrals", __name__, url_prefix="/api/v1/referrals",
                          description="Referrals held by the network checks")
events_blp = Blueprint("events", __name__, url_prefix="/api/v1/events", description="Referral link events")


class CodeSchema(ma.Schema):
    """A referral code of a member."""

    code = ma.fields.String()
    member_id = ma.fields.String()
    campaign = ma.fields.String(allow_none=True)
    channel = ma.fields.String(allow_none=True)
    is_default = ma.fields.Boolean()
    disabled = ma.fields.Boolean()
    created_at = ma.fields.String()


class CodesSchema(ma.Schema):
    """A member's referral codes, the default first."""

    items = ma.fields.List(ma.fields.Nested(CodeSchema))


class CodeInSchema(LoadSchema):
    """The body of POST /members/{member_id}/codes."""

    campaign = ma.fields.String(load_default=None, validate=validate.Length(1, 100))
    channel = ma.fields.String(load_default=None, validate=validate.Length(1, 100))


class CodeChangeSchema(LoadSchema):
    """The body of PUT /codes/{code}."""

    disabled = ma.fields.Boolean(required=True)


class ClicksInSchema(LoadSchema):
    """The body of POST /events/clicks."""

    clicks = event_batch("{code, visitor_id, at (zoned ISO-8601), ip, user_agent, landing_page}; code, "
                         "visitor_id and at are required")


class RefusedClickSchema(ma.Schema):
    """A click of the batch that was not stored, and why."""

    index = ma.fields.Integer()
    errors = ma.fields.Dict()


class ClicksSchema(ma.Schema):
    """What a batch of clicks stored."""

    stored = ma.fields.Integer(metadata={"description": "clicks stored, bots included"})
    bots = ma.fields.Integer(metadata={"description": "of those, clicks by bots (never counted)"})
    refused = ma.fields.List(ma.fields.Nested(RefusedClickSchema))


class StatsArgs(LoadSchema):
    """Query of GET /members/{member_id}/referral-stats."""

    from_ = ma.fields.String(required=True, data_key="from", metadata={"description": "a date or zoned time"})
    to = ma.fields.String(required=True, metadata={"description": "a date or zoned time (excluded)"})


class SignupCountsSchema(ma.Schema):
    """Friends who joined under the member in the period."""

    approved = ma.fields.Integer()
    held = ma.fields.Integer()
    by_click = ma.fields.Integer(metadata={"description": "of them, attributed by a click on a code"})


class MoneySchema(ma.Schema):
    """An amount in one currency."""

    currency = ma.fields.String()
    amount = ma.fields.String()


class ReferralStatsSchema(ma.Schema):
    """A member's referral figures over a period."""

    member_id = ma.fields.String()
    from_ = ma.fields.String(data_key="from", attribute="from")
    to = ma.fields.String()
    clicks = ma.fields.Integer(metadata={"description": "clicks on the member's codes, bots left out"})
    unique_visitors = ma.fields.Integer()
    signups = ma.fields.Nested(SignupCountsSchema)
    friends_who_bought = ma.fields.Integer(metadata={"description": "friends who joined in the period with a "
                                                                    "paid order bought by them"})
    visitor_to_signup = ma.fields.Float(allow_none=True, metadata={"description": "signups by click / visitors"})
    signup_to_buyer = ma.fields.Float(allow_none=True, metadata={"description": "friends who bought / signups"})
    friends_sales = ma.fields.List(ma.fields.Nested(MoneySchema), metadata={
        "description": "paid orders sold by those friends in the period, per currency"})
    earnings = ma.fields.List(ma.fields.Nested(MoneySchema), metadata={
        "description": "the member's commissions in complete runs inside the period, per currency"})


class IdentifierInSchema(LoadSchema):
    """An identifier of a new member (stored as a keyed hash only)."""

    kind = ma.fields.String(required=True, validate=validate.OneOf(IDENTIFIER_KINDS))
    value = ma.fields.String(required=True, validate=validate.Length(1, 500))


class SignupInSchema(LoadSchema):
    """The body of POST /members: a live signup."""

    id = ma.fields.String(required=True, validate=validate.Regexp(MEMBER_ID))
    joined_at = ma.fields.String(required=True, metadata={"description": "a zoned ISO-8601 time"})
    status = ma.fields.String(required=True, validate=validate.OneOf(MEMBER_STATUSES))
    country = ma.fields.String(required=True, validate=validate.Length(2, 2))
    sponsor_id = ma.fields.String(load_default=None, validate=validate.Regexp(MEMBER_ID))
    code = ma.fields.String(load_default=None, validate=validate.Regexp(REFERRAL_CODE))
    visitor_id = ma.fields.String(load_default=None, validate=validate.Length(1, 200))
    ip = ma.fields.String(load_default=None, validate=validate.Length(1, 100), metadata={
        "description": "the address the signup came from (stored as a keyed hash only)"})
    identifiers = ma.fields.List(ma.fields.Nested(IdentifierInSchema), load_default=None,
                                 validate=validate.Length(max=20))


class AttributionSchema(ma.Schema):
    """How a new member was attributed to its sponsor."""

    via = ma.fields.String(allow_none=True, metadata={"description": "sponsor, code, click, or null (no sponsor)"})
    code = ma.fields.String(allow_none=True)
    campaign = ma.fields.String(allow_none=True)
    channel = ma.fields.String(allow_none=True)
    note = ma.fields.String(allow_none=True, metadata={"description": "why a code given did not count"})
    status = ma.fields.String(allow_none=True, metadata={"description": "approved, or held by the network checks"})
    reasons = ma.fields.List(ma.fields.String(), metadata={
        "description": "why held: shared_identifier, sponsor_in_ring, velocity, shared_ip"})


class ReferralSchema(ma.Schema):
    """A referral: the member, its sponsor, how it was attributed and whether it is held."""

    member_id = ma.fields.String()
    sponsor_id = ma.fields.String()
    joined_at = ma.fields.String()
    via = ma.fields.String(allow_none=True)
    code = ma.fields.String(allow_none=True)
    status = ma.fields.String()
    reasons = ma.fields.List(ma.fields.String())


class ReferralsArgs(PageArgs):
    """Query of GET /referrals."""

    status = ma.fields.String(load_default=HELD, validate=validate.OneOf(REFERRAL_STATUSES))


class SignupSchema(MemberSchema):
    """The new member and how it was attributed."""

    attribution = ma.fields.Nested(AttributionSchema)


@codes_blp.route("/members/<member_id>/codes")
class MemberCodes(MethodView):
    """GET and POST /members/{member_id}/codes."""

    @codes_blp.response(200, CodesSchema)
    def get(self, member_id):
        """A member's referral codes, the default first (created on the first ask)."""
        return {"items": current_services().tracking.codes(member_id)}

    @codes_blp.arguments(CodeInSchema)
    @codes_blp.response(201, CodeSchema)
    def post(self, body, member_id):
        """A new referral code for a campaign and channel (drawn at random)."""
        code = current_services().tracking.create_code(member_id, body["campaign"], body["channel"])
        audit_detail(code=code["code"], campaign=code["campaign"], channel=code["channel"])
        return code


@codes_blp.route("/members/<member_id>/referral-stats")
class ReferralStats(MethodView):
    """GET /members/{member_id}/referral-stats."""

    @codes_blp.arguments(StatsArgs, location="query")
    @codes_blp.response(200, ReferralStatsSchema)
    def get(self, args, member_id):
        """A member's referral figures over [from, to): clicks, visitors, signups, buyers, sales, earnings."""
        return current_services().tracking.referral_stats(member_id, args["from_"], args["to"])


@codes_blp.route("/codes/<code>")
class Code(MethodView):
    """PUT /codes/{code}."""

    @codes_blp.arguments(CodeChangeSchema)
    @codes_blp.response(200, CodeSchema)
    def put(self, body, code):
        """Disable a referral code (its clicks no longer attribute signups), or enable it again."""
        changed = current_services().tracking.set_code_disabled(code, body["disabled"])
        audit_detail(code=changed["code"], disabled=changed["disabled"])
        return changed


@events_blp.route("/clicks")
class Clicks(MethodView):
    """POST /events/clicks."""

    @events_blp.arguments(ClicksInSchema)
    @events_blp.response(200, ClicksSchema)
    def post(self, body):
        """Store a batch of clicks on referral links (up to 1,000).

        The valid clicks are stored (visitor, address and user agent as keyed hashes);
        the others are listed by index with their reasons."""
        return current_services().tracking.record_clicks(body["clicks"])


@members_blp.route("", endpoint="Signups", methods=["POST"])
class Signups(MethodView):
    """POST /members."""

    @members_blp.arguments(SignupInSchema)
    @members_blp.response(201, SignupSchema)
    @members_blp.alt_response(409, response="CONFLICT")
    def post(self, body):
        """A live signup: the member, attributed to a sponsor by an explicit sponsor, a
        code, or the visitor's clicks inside the attribution window (else none).

        The same body again answers the same (201); another body for an existing id 409."""
        member, created = current_services().tracking.signup(body)
        audit_detail(member_id=member["id"], sponsor_id=member["sponsor_id"], via=member["attribution"]["via"],
                     created=created)
        return member


@referrals_blp.route("")
class Referrals(MethodView):
    """GET /referrals."""

    @referrals_blp.arguments(ReferralsArgs, location="query")
    @referrals_blp.response(200, page_of(ReferralSchema, "referrals"))
    def get(self, args):
        """Referrals in one status (held by default), by member id, with the reasons they were held."""
        return current_services().tracking.referrals(args["status"], args["limit"], args["cursor"])


@referrals_blp.route("/<member_id>/approve")
class Approve(MethodView):
    """POST /referrals/{member_id}/approve."""

    @referrals_blp.response(200, ReferralSchema)
    @referrals_blp.alt_response(409, response="CONFLICT")
    def post(self, member_id):
        """Approve a held referral (409 when it is not held)."""
        referral = current_services().tracking.approve(member_id)
        audit_detail(sponsor_id=referral["sponsor_id"], reasons=referral["reasons"])
        return referral


@referrals_blp.route("/<member_id>/reject")
class Reject(MethodView):
    """POST /referrals/{member_id}/reject."""

    @referrals_blp.response(200, ReferralSchema)
    @referrals_blp.alt_response(409, response="CONFLICT")
    def post(self, member_id):
        """Reject a held referral: the member moves under the held sponsor's own sponsor."""
        referral = current_services().tracking.reject(member_id)
        audit_detail(new_sponsor_id=referral["sponsor_id"], reasons=referral["reasons"])
        return referral
