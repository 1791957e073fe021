"""Members and the referral network: /members/{id}, downline, upline, sponsor."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView
from marshmallow import validate

from ..domain import MAX_LEVELS, MAX_PAGE_SIZE, MEMBER_ID
from .arguments import Blueprint, LoadSchema, PageArgs, page_of
from .context import audit_detail, current_services

blp = Blueprint("members", __name__, url_prefix="/api/v1/members", description="Members and their network")


class MemberSchema(ma.Schema):
    """A member with direct recruits and total downline."""

    id = ma.fields.String()
    sponsor_id = ma.fields.String(allow_none=True)
    joined_at = ma.fields.String()
    status = ma.fields.String()
    country = ma.fields.String()
    direct_recruits = ma.fields.Integer()
    downline_total = ma.fields.Integer()


class SearchArgs(PageArgs):
    """Query of GET /members."""

    q = ma.fields.String(required=True, validate=validate.Length(1, 64),
                         metadata={"description": "the start of the member ids to find"})
    limit = ma.fields.Integer(load_default=20, validate=validate.Range(1, MAX_PAGE_SIZE))


class DownlineArgs(PageArgs):
    """Query of GET /members/{member_id}/downline."""

    depth = ma.fields.Integer(load_default=10, validate=validate.Range(1, MAX_LEVELS))


class LevelSchema(ma.Schema):
    """How many members sit at one level below."""

    level = ma.fields.Integer()
    count = ma.fields.Integer()


class DownlineItemSchema(ma.Schema):
    """A member in a downline page."""

    id = ma.fields.String()
    sponsor_id = ma.fields.String()
    level = ma.fields.Integer()
    joined_at = ma.fields.String()
    status = ma.fields.String()


class DownlineSchema(ma.Schema):
    """Downline counts per level and one page of members."""

    member_id = ma.fields.String()
    depth = ma.fields.Integer()
    total = ma.fields.Integer()
    levels = ma.fields.List(ma.fields.Nested(LevelSchema))
    items = ma.fields.List(ma.fields.Nested(DownlineItemSchema))
    next_cursor = ma.fields.String(allow_none=True)


class UplineArgs(LoadSchema):
    """Query of GET /members/{member_id}/upline."""

    levels = ma.fields.Integer(load_default=MAX_LEVELS, validate=validate.Range(1, MAX_LEVELS))


class UplineItemSchema(ma.Schema):
    """A member in the sponsor chain."""

    id = ma.fields.String()
    level = ma.fields.Integer()


class UplineSchema(ma.Schema):
    """The sponsor chain, nearest first."""

    member_id = ma.fields.String()
    items = ma.fields.List(ma.fields.Nested(UplineItemSchema))


class SponsorChangeSchema(LoadSchema):
    """The body of PUT /members/{member_id}/sponsor."""

    sponsor_id = ma.fields.String(required=True, validate=validate.Regexp(MEMBER_ID))


@blp.route("")
class Members(MethodView):
    """GET /members."""

    @blp.arguments(SearchArgs, location="query")
    @blp.response(200, page_of(MemberSchema, "members"))
    def get(self, args):
        """Members whose id starts with `q`, by id."""
        return current_services().network.search(args["q"], args["limit"], args["cursor"])


@blp.route("/<member_id>")
class Member(MethodView):
    """GET /members/{member_id}."""

    @blp.response(200, MemberSchema)
    def get(self, member_id):
        """A member with direct recruits and total downline."""
        return current_services().network.member(member_id)


@blp.route("/<member_id>/downline")
class Downline(MethodView):
    """GET /members/{member_id}/downline."""

    @blp.arguments(DownlineArgs, location="query")
    @blp.response(200, DownlineSchema)
    def get(self, args, member_id):
        """Counts within `depth` levels and one page of members, ordered by level then id."""
        return current_services().network.downline(member_id, args["depth"], args["limit"], args["cursor"])


@blp.route("/<member_id>/upline")
class Upline(MethodView):
    """GET /members/{member_id}/upline."""

    @blp.arguments(UplineArgs, location="query")
    @blp.response(200, UplineSchema)
    def get(self, args, member_id):
        """The sponsor chain, level 1 being the sponsor."""
        return current_services().network.upline(member_id, args["levels"])


@blp.route("/<member_id>/sponsor")
class Sponsor(MethodView):
    """PUT /members/{member_id}/sponsor."""

    @blp.arguments(SponsorChangeSchema)
    @blp.response(200, MemberSchema)
    @blp.alt_response(409, response="CONFLICT")
    def put(self, body, member_id):
        """Move a member, with its downline, under a new sponsor.

        409 when the new sponsor is in the member's downline: `errors.path` lists the loop.
        """
        member = current_services().network.change_sponsor(member_id, body["sponsor_id"])
        audit_detail(old_sponsor_id=member["previous_sponsor_id"], new_sponsor_id=body["sponsor_id"])
        return member
