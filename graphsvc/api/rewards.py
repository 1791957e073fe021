"""Reward rules, reward runs, and a member's rewards, balance and badges."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView
from marshmallow import validate

from ..domain import CAP_PERIODS, LEADERBOARD_BY, MAX_PAGE_SIZE, REWARD_KINDS, REWARD_STATUSES
from .arguments import Blueprint, LoadSchema, PageArgs
from .context import audit_detail, current_services

rules_blp = Blueprint("reward_rules", __name__, url_prefix="/api/v1/reward-rules", description="Reward rules")
runs_blp = Blueprint("reward_runs", __name__, url_prefix="/api/v1/reward-runs", description="Reward runs")
leaderboards_blp = Blueprint("leaderboards", __name__, url_prefix="/api/v1/leaderboards", description="Leaderboards")
payouts_blp = Blueprint("payouts", __name__, url_prefix="/api/v1/payouts", description="Payout batches")
member_blp = Blueprint("member_rewards", __name__, url_prefix="/api/v1/members",
                       description="A member's rewards, balance and badges")


class RuleInSchema(LoadSchema):
    """The body of PUT /reward-rules/{rule_id}: the rule, checked field by field (amounts
    are decimal strings per currency)."""

    class Meta:
        """Unknown fields reach the service, which names them in its field errors."""

        unknown = ma.INCLUDE

    referrer = ma.fields.Dict(required=True, metadata={
        "description": '{"flat": {"EUR": "10.00"}} or {"share": "0.10"} of the friend\'s first order'})
    friend = ma.fields.Dict(load_default=None, allow_none=True, metadata={"description": "as referrer, or null"})
    min_order = ma.fields.Dict(load_default=None, metadata={"description": "per currency: a smaller order earns nothing"})
    hold_days = ma.fields.Integer(load_default=30, metadata={"description": "pending this long, then approved"})
    milestones = ma.fields.List(ma.fields.Dict(), load_default=None, metadata={
        "description": "[{referrals, badge, reward: {currency: amount}}]; default 5, 10, 25, 100 approved referrals"})
    caps = ma.fields.Dict(load_default=None, metadata={
        "description": "per referrer and currency: {day|month|year: {currency: amount}}"})
    vip_multipliers = ma.fields.Dict(load_default=None, metadata={
        "description": "{platinum|gold|silver: \"1.5\"}: the referrer's tier in the latest influence run"})


class RuleSchema(ma.Schema):
    """A reward rule version, in canonical form (amounts in minor units)."""

    id = ma.fields.String()
    version = ma.fields.Integer()
    created_at = ma.fields.String()
    rule = ma.fields.Dict()


class RunInSchema(LoadSchema):
    """The body of POST /reward-runs."""

    rule_id = ma.fields.String(required=True, validate=validate.Length(1, 64))
    through = ma.fields.String(required=True, metadata={"description": "evaluate events up to this zoned time"})


class RunSchema(ma.Schema):
    """A finished reward run and its lines by status."""

    id = ma.fields.String()
    rule_id = ma.fields.String()
    rule_version = ma.fields.Integer()
    through = ma.fields.String()
    statuses = ma.fields.List(ma.fields.String(), metadata={"description": f"of {', '.join(REWARD_STATUSES)}"})
    counts = ma.fields.List(ma.fields.Integer(), metadata={"description": "lines in each of statuses"})
    written = ma.fields.Integer(metadata={"description": "lines this run wrote: new, or changed since the last run "
                                                         "(the others are as stored)"})
    canceled_since = ma.fields.Integer(metadata={"description": "lines of earlier runs this run no longer produces"})
    finished_at = ma.fields.String()


class BalanceSchema(ma.Schema):
    """A member's reward totals in one currency, per status (decimal strings)."""

    class Meta:
        """Only the statuses a member has lines in are present."""

        unknown = ma.INCLUDE

    currency = ma.fields.String()
    pending = ma.fields.String()
    held = ma.fields.String()
    approved = ma.fields.String(metadata={"description": "approved rewards less clawbacks"})
    canceled = ma.fields.String()
    capped = ma.fields.String()
    in_payout = ma.fields.String(metadata={"description": "approved, in an open payout batch"})
    paid = ma.fields.String(metadata={"description": "in a payout batch marked paid"})


class LineSchema(ma.Schema):
    """A reward line."""

    key = ma.fields.String()
    event_id = ma.fields.String(metadata={"description": "the order, or milestone-N"})
    kind = ma.fields.String(metadata={"description": f"one of {', '.join(REWARD_KINDS)}"})
    amount = ma.fields.String(allow_none=True)
    currency = ma.fields.String()
    status = ma.fields.String()
    cap = ma.fields.String(allow_none=True, metadata={"description": "the cap a capped line hit"})
    badge = ma.fields.String(allow_none=True)
    at = ma.fields.String()
    approves_at = ma.fields.String(allow_none=True)
    rule_id = ma.fields.String()


class RewardsSchema(ma.Schema):
    """A member's balances and a page of its reward lines, newest first."""

    member_id = ma.fields.String()
    balances = ma.fields.List(ma.fields.Nested(BalanceSchema))
    items = ma.fields.List(ma.fields.Nested(LineSchema))
    next_cursor = ma.fields.String(allow_none=True)


class BadgeSchema(ma.Schema):
    """A badge earned at a milestone."""

    badge = ma.fields.String()
    rule_id = ma.fields.String()
    at = ma.fields.String()


class BadgesSchema(ma.Schema):
    """A member's badges."""

    member_id = ma.fields.String()
    items = ma.fields.List(ma.fields.Nested(BadgeSchema))


@rules_blp.route("/<rule_id>")
class RewardRule(MethodView):
    """GET and PUT /reward-rules/{rule_id}."""

    @rules_blp.response(200, RuleSchema)
    def get(self, rule_id):
        """The current version of a reward rule."""
        return current_services().rewards.rule(rule_id)

    @rules_blp.arguments(RuleInSchema)
    @rules_blp.response(200, RuleSchema)
    def put(self, body, rule_id):
        """Create or replace a reward rule; earlier versions are kept for the runs that used them."""
        document = {k: v for k, v in body.items() if v is not None}
        rule = current_services().rewards.put_rule(rule_id, document)
        audit_detail(version=rule["version"])
        return rule


@runs_blp.route("")
class RewardRuns(MethodView):
    """POST /reward-runs."""

    @runs_blp.arguments(RunInSchema)
    @runs_blp.response(201, RunSchema)
    def post(self, body):
        """Evaluate a rule's reward lines up to a time and write them: idempotent (the same
        events give the same lines), releasing holds whose time has come."""
        run = current_services().rewards.run(body["rule_id"], body["through"])
        audit_detail(run_id=run["id"], through=run["through"])
        return run


@member_blp.route("/<member_id>/rewards")
class Rewards(MethodView):
    """GET /members/{member_id}/rewards."""

    @member_blp.arguments(PageArgs, location="query")
    @member_blp.response(200, RewardsSchema)
    def get(self, args, member_id):
        """A member's reward balance per currency and status, and its reward lines."""
        return current_services().rewards.member_rewards(member_id, args["limit"], args["cursor"])


@member_blp.route("/<member_id>/badges")
class Badges(MethodView):
    """GET /members/{member_id}/badges."""

    @member_blp.response(200, BadgesSchema)
    def get(self, member_id):
        """The badges a member earned at milestones of approved referrals."""
        return {"member_id": member_id, "items": current_services().rewards.badges(member_id)}


class PayoutInSchema(LoadSchema):
    """The body of POST /payouts."""

    through = ma.fields.String(required=True, metadata={"description": "pay what was approved up to this time"})
    minimum = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(), load_default=None, metadata={
        "description": "per currency: a member's total below it waits for a later batch"})


class PayoutItemSchema(ma.Schema):
    """What a batch pays one member in one currency."""

    member_id = ma.fields.String()
    currency = ma.fields.String()
    amount = ma.fields.String()
    statements = ma.fields.Integer(metadata={"description": "commission statements referenced"})
    reward_lines = ma.fields.Integer(metadata={"description": "reward lines referenced"})


class PayoutSchema(ma.Schema):
    """A payout batch."""

    id = ma.fields.String()
    through = ma.fields.String()
    status = ma.fields.String(metadata={"description": "open or paid"})
    created_at = ma.fields.String()
    paid_at = ma.fields.String(allow_none=True)
    items = ma.fields.List(ma.fields.Nested(PayoutItemSchema))


@payouts_blp.route("")
class Payouts(MethodView):
    """POST /payouts."""

    @payouts_blp.arguments(PayoutInSchema)
    @payouts_blp.response(201, PayoutSchema)
    def post(self, body):
        """A payout batch: per member and currency, the approved reward lines and complete
        commission statements up to a time that no batch holds yet, at or above the minimum."""
        batch = current_services().payouts.create(body["through"], body["minimum"])
        audit_detail(batch_id=batch["id"], members=len(batch["items"]))
        return batch


@payouts_blp.route("/<batch_id>")
class Payout(MethodView):
    """GET /payouts/{batch_id}."""

    @payouts_blp.response(200, PayoutSchema)
    def get(self, batch_id):
        """A payout batch and what it pays each member in each currency."""
        return current_services().payouts.batch(batch_id)


@payouts_blp.route("/<batch_id>/paid")
class PayoutPaid(MethodView):
    """POST /payouts/{batch_id}/paid."""

    @payouts_blp.response(200, PayoutSchema)
    def post(self, batch_id):
        """Mark a batch paid: its members' balances show it as paid."""
        return current_services().payouts.mark_paid(batch_id)


class LeaderboardArgs(LoadSchema):
    """Query of GET /leaderboards."""

    by = ma.fields.String(load_default="referrals", validate=validate.OneOf(LEADERBOARD_BY), metadata={
        "description": "approved referrals who joined; paid sales of referred friends; rewards earned"})
    period = ma.fields.String(load_default="month", validate=validate.OneOf(CAP_PERIODS),
                              metadata={"description": "the UTC calendar period"})
    at = ma.fields.String(load_default=None, metadata={"description": "a time in the period (default now)"})
    currency = ma.fields.String(load_default=None, validate=validate.Length(3, 3),
                                metadata={"description": "needed for sales and earnings"})
    limit = ma.fields.Integer(load_default=100, validate=validate.Range(1, MAX_PAGE_SIZE))


class LeaderSchema(ma.Schema):
    """A member's place on a leaderboard."""

    rank = ma.fields.Integer()
    member_id = ma.fields.String()
    referrals = ma.fields.Integer(allow_none=True)
    amount = ma.fields.String(allow_none=True)


class LeaderboardSchema(ma.Schema):
    """A leaderboard for one period."""

    by = ma.fields.String()
    period = ma.fields.String()
    from_ = ma.fields.String(data_key="from", attribute="from")
    to = ma.fields.String()
    currency = ma.fields.String(allow_none=True)
    items = ma.fields.List(ma.fields.Nested(LeaderSchema))


@leaderboards_blp.route("")
class Leaderboards(MethodView):
    """GET /leaderboards."""

    @leaderboards_blp.arguments(LeaderboardArgs, location="query")
    @leaderboards_blp.response(200, LeaderboardSchema)
    def get(self, args):
        """Members ranked for a day, month or year; ties by member id; held referrals do not count."""
        return current_services().rewards.leaderboard(args["by"], args["period"], args["at"], args["currency"],
                                                      args["limit"])
