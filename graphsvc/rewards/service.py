"""Reward rules (versioned like plans), reward runs, and a member's rewards, balance and
badges.  A run reads the programme's events up to a date, evaluates every line again
(:func:`~graphsvc.rewards.evaluate.evaluate`) and writes them by key into the rule's
buckets (:mod:`~graphsvc.rewards.buckets`), so a run is exactly-once per (rule, event,
kind, beneficiary), idempotent and resumable: an interrupted run is finished by running
it again."""

from __future__ import annotations

import json
import uuid
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timezone
from itertools import groupby
from operator import itemgetter
from typing import Callable, Iterator

from ..analysis_runs.kinds import INFLUENCE, RINGS, latest_run
from ..analysis_runs.service import HIGH_RISK_SCORE
from ..commissions.plans import validate_plan_id
from ..db import ConstraintViolation, Database, Tx
from ..domain import APPROVED, LEADERBOARD_REFERRALS, MILESTONE, PENDING
from ..errors import Conflict, Invalid, NotFound
from ..gcpause import gc_paused
from ..money import format_minor
from ..paging import decode_cursor, encode_cursor
from ..periods import calendar_period, parse_instant
from .buckets import (MILESTONES, NO_TIME, Stored, batches, bucket_count, digest, epoch_ms, member_hash, merged,
                      parts, placed, unpacked)
from .evaluate import Line, Order, Referral, evaluate_months
from .rules import validate_rule

__all__ = ["RewardsService"]

RUN_LEASE_S = 3600.0  # the longest a run may hold its rule's lock
ORDER_READERS = 2  # concurrent transactions finding first orders (the server's cores)
# Concurrent transactions writing buckets: on two server cores three beat two (one makes
# its buckets while two write) and four (docs/benchmarks.md).
WRITERS = 3


def _instant(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, timezone.utc)


def _stored(lines: list[Line]) -> Iterator[tuple[str, Stored]]:
    """Lines (in time order) as their buckets hold them, with their beneficiaries.  A
    run makes millions: each is made as a plain tuple typed Stored (the named tuple's
    constructor takes a third of the time), and a time is converted once for the lines
    next to each other that share it (an order's two)."""
    at = approves = None
    at_ms = approves_ms = NO_TIME
    for line in lines:
        if line.at is not at:
            at, at_ms = line.at, epoch_ms(line.at)
        if line.approves_at is not approves:
            approves = line.approves_at
            approves_ms = NO_TIME if approves is None else epoch_ms(approves)
        yield line.beneficiary_id, tuple.__new__(Stored, (
            line.beneficiary_id, at_ms, line.key, line.event_id, line.kind, line.amount_minor, line.currency,
            line.status, line.cap or "", line.badge or "", approves_ms, ""))


class _Writes:
    """A run's writes, a month at a time: new buckets are created side by side; a stored
    one that the run changes (its lines as produced differ from those it holds, by its
    digest) is rewritten under its lock (see :meth:`_rewrite`); and one the
    run produced nothing for, at the end.  The writers make the lines as stored, while the
    server writes another's."""

    def __init__(self, db: Database, rule_id: str, run_id: str, kept: dict, progress):
        self.db, self.rule_id, self.run_id, self.progress = db, rule_id, run_id, progress
        self.counts = dict(zip(kept["months"], kept["counts"]))
        self.digests = dict(zip(zip(kept["bucket_months"], kept["buckets"]), kept["digests"]))
        self.sizes: dict[int, int] = {}
        self.futures: list[Future] = []

    def month(self, pool: ThreadPoolExecutor, month: int, lines: list[Line]) -> None:
        """Start writing a month's lines (its bucket count made first if it is new)."""
        if not lines:  # (a month of milestones alone: its stored buckets, if any, wait for finish)
            return
        self.sizes[month] = len(lines)
        if month not in self.counts:
            self.counts[month] = bucket_count(month, self.sizes)
            self.db.write("rewards/create_months", rule_id=self.rule_id, months=[month], counts=[self.counts[month]])
        produced = placed(month, _stored(lines), self.counts[month])
        new = sorted(produced.keys() - self.digests.keys())
        old = sorted(key for key in produced.keys() & self.digests.keys()
                     if digest(sorted(produced[key])) != self.digests.pop(key))
        self._submit(pool, new, old, produced)

    def finish(self, pool: ThreadPoolExecutor) -> tuple[int, int]:
        """Cancel the lines of stored buckets the run produced nothing for, wait for every
        write; lines written and canceled."""
        self._submit(pool, [], sorted(self.digests), {})
        done = [future.result() for future in self.futures]
        return sum(w for w, _ in done), sum(c for _, c in done)

    def _submit(self, pool, new, old, produced) -> None:
        for keys, write in ((new, self._create), (old, self._rewrite)):
            for batch in batches(keys, produced):
                future = pool.submit(self.db.write_tx, write, self.rule_id, self.run_id,
                                     {key: produced.get(key, []) for key in batch})
                if self.progress:
                    lines = sum(len(produced.get(key, ())) for key in batch)
                    future.add_done_callback(lambda _, n=lines: self.progress(n))
                self.futures.append(future)

    @staticmethod
    def _create(tx: Tx, rule_id: str, run_id: str, produced: dict[tuple[int, int], list[Stored]]) -> tuple[int, int]:
        """Create buckets no run has stored yet (the run read its rule's buckets under the
        rule's run lock, so no other writer makes them meanwhile); lines written and canceled."""
        tx.run("rewards/create_buckets", buckets=[part for key, lines in produced.items()
                                                  for part in parts(rule_id, run_id, key, lines, 0)])
        return sum(map(len, produced.values())), 0

    @staticmethod
    def _rewrite(tx: Tx, rule_id: str, run_id: str, produced: dict[tuple[int, int], list[Stored]]) -> tuple[int, int]:
        """Rewrite stored buckets whose lines change: each is locked before it is read (a
        payout batch locks the buckets it reads too, so neither loses the other's change);
        lines written and canceled."""
        rows = []
        written = canceled = 0
        locked = tx.run("rewards/lock_buckets", rule_id=rule_id, buckets=[list(key) for key in sorted(produced)])
        for key, nodes in groupby((row["node"] for row in locked), key=itemgetter("month", "bucket")):
            nodes = list(nodes)
            after, changed, dropped = merged([line for node in nodes for line in unpacked(node)], produced[key])
            if changed or dropped:
                rows += parts(rule_id, run_id, key, after, nodes[0]["version"])
                written += changed
                canceled += dropped
        if rows:
            tx.run("rewards/rewrite_buckets", buckets=rows)
        return written, canceled


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
        # A run holds millions of lines: a cyclic collection would rescan them all for nothing
        # (a first run takes a tenth longer with it, docs/benchmarks.md).
        with self.db.lease({"graphsvc_reward_run": run_id}, RUN_LEASE_S, "locks/run", id=f"rewards:{rule_id}"), \
                gc_paused():
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
        # The rule's stored buckets and the risk and tiers are read while the events are read.
        with ThreadPoolExecutor(max_workers=2) as pool:
            kept = pool.submit(self.db.read, "rewards/rule_buckets", rule_id=rule_id)
            special = pool.submit(self.db.read, "rewards/risk_and_tiers", influence_run=latest_run(self.db, INFLUENCE),
                                  rings_run=latest_run(self.db, RINGS), high_risk=HIGH_RISK_SCORE)
            referrals, orders = self.events(at, rule["min_order"])
            risk = special.result()[0]
            kept = kept.result()[0]
        months = evaluate_months(rule_id, rule, referrals, orders, dict(risk["tiers"]), set(risk["risky"]), at)
        run = _Writes(self.db, rule_id, run_id, kept, progress)
        statuses: Counter = Counter()
        milestones: list[Line] = []
        # Each month is written while the next is evaluated (the server writes while Python
        # works); milestone lines are kept apart and written last.
        with ThreadPoolExecutor(max_workers=WRITERS) as pool:
            for month, lines in months:
                statuses.update(line.status for line in lines)
                milestones += (line for line in lines if line.kind == MILESTONE)
                run.month(pool, month, [line for line in lines if line.kind != MILESTONE])
            run.month(pool, MILESTONES, milestones)
            written, canceled = run.finish(pool)
        return self.db.write("rewards/create_run", id=run_id, rule_id=rule_id, rule_version=stored["version"],
                             through=at.isoformat(), statuses=sorted(statuses), written=written,
                             counts=[statuses[s] for s in sorted(statuses)], canceled_since=canceled)[0]

    # -- a member's view ---------------------------------------------------------------
    def balance(self, member_id: str) -> dict:
        """A member's reward totals per currency and status; NotFound for an unknown member."""
        row = self.db.read("rewards/member_balances", member_id=member_id, hash=member_hash(member_id))[0]
        if not row["exists"]:
            raise NotFound(f"member {member_id} does not exist")
        balances: dict[str, dict] = {}
        for t in row["totals"]:
            balances.setdefault(t["currency"], {})[t["status"]] = format_minor(t["amount"], t["currency"])
        return {"member_id": member_id,
                "balances": [{"currency": c, **by_status} for c, by_status in sorted(balances.items())]}

    def member_rewards(self, member_id: str, limit: int, cursor: str | None) -> dict:
        """A member's balance and a page of its lines; NotFound for an unknown member."""
        return {**self.balance(member_id), **self.lines(member_id, limit, cursor)}

    def lines(self, member_id: str, limit: int, cursor: str | None) -> dict:
        """A page of the member's reward lines, newest first, and the next page's cursor
        (empty for a member with none, or none known: see :meth:`member_rewards`)."""
        after = decode_cursor(cursor, ("at", "key")) if cursor else {"at": None, "key": None}
        rows = self.db.read("rewards/member_lines", member_id=member_id, hash=member_hash(member_id), milestones=MILESTONES,
                            before_at=epoch_ms(parse_instant(after["at"], "cursor")) if cursor else None,
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
                            milestones=MILESTONES, **{"from": start, "to": end})
        items = [{"rank": rank, "member_id": r["member_id"],
                  "referrals": r["value"] if by == LEADERBOARD_REFERRALS else None,
                  "amount": None if by == LEADERBOARD_REFERRALS else format_minor(r["value"], currency)}
                 for rank, r in enumerate(rows, start=1)]
        return {"by": by, "period": period, "from": start.isoformat(), "to": end.isoformat(),
                "currency": None if by == LEADERBOARD_REFERRALS else currency, "items": items}

    def badges(self, member_id: str) -> list[dict]:
        """The badges the member has earned, earliest first."""
        self.balance(member_id)
        return self.db.read("rewards/member_badges", member_id=member_id, hash=member_hash(member_id),
                            month=MILESTONES)
