"""Members and the referral network: /members/{id}, downline, upline, sponsor."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView
from marshmallow import validate

from ..network.importer import MEMBER_ID
from ..settings import MAX_DOWNLINE_DEPTH
from .arguments import Blueprint, LoadSchema, PageArgs
from .services import services

blp = Blueprint("members", __name__, url_prefix="/api/v1/members", description="Members and their network")


class MemberSchema(ma.Schema):
    id = ma.fields.String()
    sponsor_id = ma.fields.String(allow_none=True)
    joined_at = ma.fields.String()
    status = ma.fields.String()
    country = ma.fields.String()
    direct_recruits = ma.fields.Integer()
    downline_total = ma.fields.Integer()


class DownlineArgs(PageArgs):
    depth = ma.fields.Integer(load_default=10, validate=validate.Range(1, MAX_DOWNLINE_DEPTH))


class LevelSchema(ma.Schema):
    level = ma.fields.Integer()
    count = ma.fields.Integer()


class DownlineItemSchema(ma.Schema):
    id = ma.fields.String()
    sponsor_id = ma.fields.String()
    level = ma.fields.Integer()
    joined_at = ma.fields.String()
    status = ma.fields.String()


class DownlineSchema(ma.Schema):
    member_id = ma.fields.String()
    depth = ma.fields.Integer()
    total = ma.fields.Integer()
    levels = ma.fields.List(ma.fields.Nested(LevelSchema))
    items = ma.fields.List(ma.fields.Nested(DownlineItemSchema))
    next_cursor = ma.fields.String(allow_none=True)


class UplineArgs(LoadSchema):
    levels = ma.fields.Integer(load_default=MAX_DOWNLINE_DEPTH, validate=validate.Range(1, MAX_DOWNLINE_DEPTH))


class UplineItemSchema(ma.Schema):
    id = ma.fields.String()
    level = ma.fields.Integer()


class UplineSchema(ma.Schema):
    member_id = ma.fields.String()
    items = ma.fields.List(ma.fields.Nested(UplineItemSchema))


class SponsorChangeSchema(LoadSchema):
    sponsor_id = ma.fields.String(required=True, validate=validate.Regexp(MEMBER_ID))


@blp.route("/<member_id>")
class Member(MethodView):
    @blp.response(200, MemberSchema)
    def get(self, member_id):
        """A member with direct recruits and total downline."""
        return services().network.member(member_id)


@blp.route("/<member_id>/downline")
class Downline(MethodView):
    @blp.arguments(DownlineArgs, location="query")
    @blp.response(200, DownlineSchema)
    def get(self, args, member_id):
        """Counts within `depth` levels and one page of members, ordered by level then id."""
        return services().network.downline(member_id, args["depth"], args["limit"], args["cursor"])


@blp.route("/<member_id>/upline")
class Upline(MethodView):
    @blp.arguments(UplineArgs, location="query")
    @blp.response(200, UplineSchema)
    def get(self, args, member_id):
        """The sponsor chain, level 1 being the sponsor."""
        return services().network.upline(member_id, args["levels"])


@blp.route("/<member_id>/sponsor")
class Sponsor(MethodView):
    @blp.arguments(SponsorChangeSchema)
    @blp.response(200, MemberSchema)
    @blp.alt_response(409, response="CONFLICT")
    def put(self, body, member_id):
        """Move a member, with its downline, under a new sponsor.

        409 when the new sponsor is in the member's downline: `errors.path` lists the loop.
        """
        return services().network.change_sponsor(member_id, body["sponsor_id"])
