"""Reward rules (versioned like plans), reward runs, and a member's rewards, balance and
badges.  A run reads the programme's events up to a date, evaluates every line again
(:func:`~graphsvc.rewards.evaluate.evaluate`) and writes them by key, so a run is
exactly-once per (rule, event, kind, beneficiary), idempotent and resumable: an
interrupted run is finished by running it again."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from operator import attrgetter
from typing import Callable

from ..analysis_runs.kinds import INFLUENCE, RINGS, latest_run
from ..analysis_runs.service import HIGH_RISK_SCORE
from ..commissions.plans import validate_plan_id
from ..db import ConstraintViolation, Database, Tx
from ..domain import APPROVED, CANCELED, LEADERBOARD_REFERRALS, PENDING
from ..errors import Conflict, Invalid, NotFound
from ..money import format_minor
from ..paging import decode_cursor, encode_cursor
from ..periods import calendar_period, parse_instant
from . import totals
from .evaluate import Line, Order, Referral, evaluate
from .totals import Counted
from .rules import validate_rule

__all__ = ["RewardsService"]

BATCH = 5000  # lines written per transaction
RUN_LEASE_S = 3600.0  # the longest a run may hold its rule's lock
ORDER_READERS = 2  # concurrent transactions finding first orders (the server's cores)
# Concurrent transactions writing lines: on two server cores three beat two (one makes its
# rows while two write) and four (docs/benchmarks.md).
WRITERS = 3
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
# How a run writes a batch of lines: new ones created, stored ones merged by key (approved
# ones under the payout lock).
CREATE, MERGE, MERGE_LOCKED = "create", "merge", "merge under the payout lock"
# In member order, a transaction holds a member's lines together: each of its totals
# changes once, and concurrent writers seldom wait on each other's totals.
BY_MEMBER = attrgetter("beneficiary_id", "key")


def _instant(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, timezone.utc)


def _ms(at: datetime | None) -> int | None:
    """A time as epoch milliseconds, exactly (the inverse of _instant)."""
    return None if at is None else (at - EPOCH) // timedelta(milliseconds=1)


def _state(line: Line) -> str:
    """What a later run compares to see whether a line changed: its fields, digested."""
    fields = (f"{line.event_id}|{line.kind}|{line.beneficiary_id}|{line.amount_minor}|{line.currency}|{line.status}|"
              f"{line.cap}|{line.badge}|{_ms(line.at)}|{_ms(line.approves_at)}")
    return hashlib.blake2b(fields.encode(), digest_size=12).hexdigest()


def _row(line: Line, state: str) -> dict:
    """A line as write_lines takes it, times in epoch milliseconds (which the driver sends
    as integers: Python datetimes would double the time to write a line)."""
    return {"key": line.key, "event_id": line.event_id, "kind": line.kind, "beneficiary_id": line.beneficiary_id,
            "amount_minor": line.amount_minor, "currency": line.currency, "status": line.status, "cap": line.cap,
            "badge": line.badge, "at": _ms(line.at), "approves_at": _ms(line.approves_at), "state": state}


def _counted(line: Line) -> Counted:
    return Counted(line.beneficiary_id, line.currency, line.status, line.amount_minor)


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

    def events(self, at: datetime, min_order: dict) -> tuple[list[Referral], list[Order]]:
        """Every referral of a friend joined by ``at`` and each friend's first order (read
        as columns, the first orders by concurrent readers)."""
        through = at.isoformat()
        with ThreadPoolExecutor(max_workers=ORDER_READERS + 1) as pool:
            parts = [pool.submit(self.db.read_tx, lambda tx, part=part: tx.record(
                "rewards/first_orders", through=through, min_order=min_order, parts=ORDER_READERS, part=part),
                timeout=3600) for part in range(ORDER_READERS)]
            r = self.db.read_tx(lambda tx: tx.record("rewards/referrals", through=through), timeout=3600)
            referrals = [Referral(friend, sponsor, _instant(joined), status or None) for friend, sponsor, joined, status
                         in zip(r["friend"], r["sponsor"], r["joined"], r["status"])]
            orders = [Order(o, buyer, amount, currency, _instant(placed), _instant(refunded) if refunded >= 0 else None)
                      for c in (part.result() for part in parts)
                      for o, buyer, amount, currency, placed, refunded in zip(c["id"], c["buyer"], c["amount"],
                                                                             c["currency"], c["at"], c["refunded"])]
        return referrals, orders

    def _run(self, run_id: str, rule_id: str, stored: dict, at: datetime, progress) -> dict:
        rule = stored["rule"]
        # The stored lines and the risk and tiers are read while the events are read and evaluated.
        with ThreadPoolExecutor(max_workers=2) as pool:
            stored_lines = pool.submit(self.db.read_tx, lambda tx: tx.record("rewards/rule_lines", rule_id=rule_id),
                                       timeout=3600)
            special = pool.submit(self.db.read, "rewards/risk_and_tiers", influence_run=latest_run(self.db, INFLUENCE),
                                  rings_run=latest_run(self.db, RINGS), high_risk=HIGH_RISK_SCORE)
            referrals, orders = self.events(at, rule["min_order"])
            risk = special.result()[0]
            lines = evaluate(rule_id, rule, referrals, orders, dict(risk["tiers"]), set(risk["risky"]), at)
            kept = stored_lines.result()
        # Only what changed since the last run is written; lines settled in a payout stay as they are.
        # A payout batch takes approved lines, under the payout lock from reading them to its commit:
        # a stored approved line is changed under that lock too, so that no batch pays a line a run
        # is changing.  No batch can take the other lines (new, or stored but not approved) before
        # the run commits them, so those are written without it, side by side.
        index = {key: i for i, key in enumerate(kept["key"])}
        new: list[Line] = []
        free: list[Line] = []
        locked: list[Line] = []
        for line in lines:
            i = index.get(line.key)
            if i is None:
                new.append(line)
            elif not kept["settled"][i] and kept["state"][i] != _state(line):
                (locked if kept["status"][i] == APPROVED else free).append(line)
        for part in (new, free, locked):
            part.sort(key=BY_MEMBER)
        batches = [(part[start:start + BATCH], writes) for part, writes in ((new, CREATE), (free, MERGE),
                                                                          (locked, MERGE_LOCKED))
                   for start in range(0, len(part), BATCH)]
        with ThreadPoolExecutor(max_workers=WRITERS) as pool:
            for written in pool.map(lambda batch: self.db.write_tx(
                    self._write_lines, *batch, rule_id, stored["version"], run_id), batches):
                if progress:
                    progress(written)
        produced = {line.key for line in lines}
        unproduced = [key for key, status, is_settled in zip(kept["key"], kept["status"], kept["settled"])
                      if key not in produced and status != CANCELED and not is_settled]
        canceled = self.db.write_tx(self._cancel_lines, unproduced, run_id) if unproduced else 0
        counts = Counter(line.status for line in lines)
        written = len(new) + len(free) + len(locked)
        return self.db.write("rewards/create_run", id=run_id, rule_id=rule_id, rule_version=stored["version"],
                             through=at.isoformat(), statuses=sorted(counts), written=written,
                             counts=[counts[s] for s in sorted(counts)], canceled_since=canceled)[0]

    @staticmethod
    def _write_lines(tx: Tx, lines: list[Line], writes: str, rule_id: str, rule_version: int, run_id: str) -> int:
        """Write lines (new ones created, stored ones merged, under the payout lock when
        ``writes`` says so) and what they change in the totals, in one transaction; how many
        lines it wrote.  The rows are made here, so that one writer makes its rows while the
        server writes another's."""
        params = {"rule_id": rule_id, "rule_version": rule_version, "run_id": run_id,
                  "lines": [_row(line, _state(line)) for line in lines]}
        if writes == CREATE:
            tx.run("rewards/create_lines", **params)
            totals.apply(tx, map(_counted, lines), [])
            return len(lines)
        if writes == MERGE_LOCKED:
            tx.run("payouts/lock")
        before = tx.run("rewards/write_lines", **params)
        left = {row["key"] for row in before if row["settled"]}  # settled since the lines were compared
        totals.apply(tx, [_counted(line) for line in lines if line.key not in left],
                     [Counted(row["member_id"], row["currency"], row["status"], row["amount"])
                      for row in before if not row["settled"]])
        return len(lines)

    @staticmethod
    def _cancel_lines(tx: Tx, keys: list[str], run_id: str) -> int:
        """Cancel lines no longer produced, with their totals, under the payout lock; how many
        were canceled."""
        tx.run("payouts/lock")
        before = [Counted(**row) for row in tx.run("rewards/cancel_unproduced", keys=keys, run_id=run_id,
                                                   canceled=CANCELED)]
        totals.apply(tx, [c._replace(status=CANCELED) for c in before], before)
        return len(before)

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
