"""Reward rules (versioned like plans), reward runs, and a member's rewards, balance and
badges.  A run reads the programme's events up to a date, evaluates every line again
(:func:`~graphsvc.rewards.evaluate.evaluate`) and writes them by key, so a run is
exactly-once per (rule, event, kind, beneficiary), idempotent and resumable: an
interrupted run is finished by running it again."""

from __future__ import annotations

import json
import uuid
from collections import Counter
from datetime import datetime, timezone
from typing import Callable

from ..analysis_runs.kinds import INFLUENCE, RINGS, latest_run
from ..analysis_runs.service import HIGH_RISK_SCORE
from ..commissions.plans import validate_plan_id
from ..db import ConstraintViolation, Database
from ..domain import APPROVED, LEADERBOARD_REFERRALS, PENDING
from ..errors import Conflict, Invalid, NotFound
from ..money import format_minor
from ..paging import decode_cursor, encode_cursor
from ..periods import calendar_period, parse_instant
from .evaluate import Order, Referral, evaluate
from .rules import validate_rule

__all__ = ["RewardsService"]

BATCH = 5000  # lines written per transaction
RUN_LEASE_S = 3600.0  # the longest a run may hold its rule's lock


def _native(value) -> datetime | None:
    return value.to_native() if value is not None else None


def _row(line) -> dict:
    """A line as write_lines takes it: times as ISO-8601 with their UTC offset (a driver
    datetime from the store would come back with a named zone)."""
    return {**vars(line), "at": line.at.isoformat(), "refunded_at": None,
            "approves_at": line.approves_at.isoformat() if line.approves_at else None}


class RewardsService:
    """Reward rules, runs, balances and badges."""

    def __init__(self, db: Database):
        self.db = db

    # -- rules ------------------------------------------------------------------------
    def put_rule(self, rule_id: str, document: dict) -> dict:
        """Store a new version of the rule, unless it equals the current one."""
        validate_plan_id(rule_id)  # rules and plans share the id rule
        canonical = json.dumps(validate_rule(document), sort_keys=True)
        current = self.db.read("rewards/current_rule", id=rule_id)
        if current and current[0]["document"] == canonical:
            return self._shown(current[0])
        version = current[0]["version"] + 1 if current else 1
        try:
            return self._shown(self.db.write("rewards/create_rule_version", id=rule_id, version=version,
                                             document=canonical)[0])
        except ConstraintViolation:
            raise Conflict(f"reward rule {rule_id} was changed concurrently; retry")

    def rule(self, rule_id: str) -> dict:
        """A rule's current version; NotFound when there is none."""
        rows = self.db.read("rewards/current_rule", id=rule_id)
        if not rows:
            raise NotFound(f"reward rule {rule_id} does not exist")
        return self._shown(rows[0])

    @staticmethod
    def _shown(row: dict) -> dict:
        return {"id": row["id"], "version": row["version"], "created_at": row["created_at"],
                "rule": json.loads(row["document"])}

    # -- runs -----------------------------------------------------------------------
    def run(self, rule_id: str, through: str, progress: Callable[[int], None] | None = None) -> dict:
        """Evaluate the rule's lines as of ``through`` and write them (see the module);
        the run's record with its lines by status.  Runs of one rule take turns (a run
        cancels the lines it no longer produces, which another run's must not be)."""
        at = parse_instant(through, "through")
        stored = self.rule(rule_id)
        run_id = f"rewards-{uuid.uuid4().hex[:16]}"
        with self.db.lease({"graphsvc_reward_run": run_id}, RUN_LEASE_S, "locks/run", id=f"rewards:{rule_id}"):
            return self._run(run_id, rule_id, stored, at, progress)

    def _run(self, run_id: str, rule_id: str, stored: dict, at: datetime, progress) -> dict:
        rule = stored["rule"]
        events = self.db.read("rewards/events", timeout=3600, through=at.isoformat(), min_order=rule["min_order"])[0]
        special = self.db.read("rewards/risk_and_tiers", influence_run=latest_run(self.db, INFLUENCE),
                               rings_run=latest_run(self.db, RINGS), high_risk=HIGH_RISK_SCORE)[0]
        referrals = [Referral(f, s, _native(joined), status) for f, s, joined, status in events["referrals"]]
        orders = [Order(o, buyer, amount, currency, _native(placed), _native(refunded))
                  for o, buyer, amount, currency, placed, refunded in events["orders"]]
        lines = evaluate(rule_id, rule, referrals, orders, dict(special["tiers"]), set(special["risky"]), at)
        for start in range(0, len(lines), BATCH):
            self.db.write("rewards/write_lines", rule_id=rule_id, rule_version=stored["version"], run_id=run_id,
                          lines=[_row(line) for line in lines[start:start + BATCH]])
            if progress:
                progress(len(lines[start:start + BATCH]))
        canceled = self.db.write("rewards/cancel_unproduced", rule_id=rule_id, run_id=run_id)[0]["canceled"]
        counts = Counter(line.status for line in lines)
        return self.db.write("rewards/create_run", id=run_id, rule_id=rule_id, rule_version=stored["version"],
                             through=at.isoformat(), statuses=sorted(counts),
                             counts=[counts[s] for s in sorted(counts)], canceled_since=canceled)[0]

    # -- a member's view ---------------------------------------------------------------
    def balance(self, member_id: str) -> dict:
        """A member's reward totals per currency and status; NotFound for an unknown member."""
        row = self.db.read("rewards/member_balances", member_id=member_id)[0]
        if not row["exists"]:
            raise NotFound(f"member {member_id} does not exist")
        balances: dict[str, dict] = {}
        for t in row["totals"]:
            balances.setdefault(t["currency"], {})[t["status"]] = format_minor(t["amount"], t["currency"])
        return {"member_id": member_id,
                "balances": [{"currency": c, **by_status} for c, by_status in sorted(balances.items())]}

    def lines(self, member_id: str, limit: int, cursor: str | None) -> dict:
        """A page of the member's reward lines, newest first, and the next page's cursor."""
        self.balance(member_id)  # NotFound first
        after = decode_cursor(cursor, ("at", "key")) if cursor else {"at": None, "key": None}
        rows = self.db.read("rewards/member_lines", member_id=member_id, before_at=after["at"],
                            before_key=after["key"], limit=limit + 1)
        items = [{**{k: v for k, v in r.items() if k != "amount_minor"},
                  "amount": format_minor(r["amount_minor"], r["currency"]) if r["currency"] else None}
                 for r in rows[:limit]]
        last = rows[limit - 1] if len(rows) > limit else None
        return {"items": items, "next_cursor": encode_cursor({"at": last["at"], "key": last["key"]}) if last else None}

    def leaderboard(self, by: str, period: str, at: str | None, currency: str | None, limit: int) -> dict:
        """Members ranked by approved referrals, by their referred friends' paid sales, or by
        the rewards they earned (pending or approved), in the calendar period holding ``at``
        (default now); ties by member id.  Money needs a currency."""
        start, end = calendar_period(period, parse_instant(at, "at") if at else datetime.now(timezone.utc))
        if by != LEADERBOARD_REFERRALS and currency is None:
            raise Invalid("a currency is needed to rank by money", {"currency": ["A currency code, e.g. EUR."]})
        rows = self.db.read(f"leaderboards/{by}", limit=limit, currency=currency, statuses=[PENDING, APPROVED],
                            **{"from": start, "to": end})
        items = [{"rank": rank, "member_id": r["member_id"],
                  "referrals": r["value"] if by == LEADERBOARD_REFERRALS else None,
                  "amount": None if by == LEADERBOARD_REFERRALS else format_minor(r["value"], currency)}
                 for rank, r in enumerate(rows, start=1)]
        return {"by": by, "period": period, "from": start.isoformat(), "to": end.isoformat(),
                "currency": None if by == LEADERBOARD_REFERRALS else currency, "items": items}

    def badges(self, member_id: str) -> list[dict]:
        """The badges the member has earned, earliest first."""
        self.balance(member_id)
        return self.db.read("rewards/member_badges", member_id=member_id)
