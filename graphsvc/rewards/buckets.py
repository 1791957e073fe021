"""Reward lines as stored: lists per rule, month and bucket of members.

A node per line made a run's writing cost tens of microseconds a line (the node, its
index entries, the member's totals); a bucket holds a few dozen lines of a few members,
written whole in one property update.  Lines are kept by the calendar month (UTC) of
their time, so that a run rewrites only the months whose lines change (mostly the last
one, as its holds end), not a member's whole history.  Each month of a rule has its own
number of buckets (:func:`bucket_count`, kept in a ``RewardMonth`` node), a power of two
that follows the month's volume; a member is in bucket ``crc32(id) % count`` of each.
Milestone lines are kept apart, as month :data:`MILESTONES`: their time (the join of the
referral that reached the milestone) can move when a referral before it is approved, and
a line must stay in one place to be written exactly once.

A bucket's lines, sorted by member, time and key, fill nodes of at most :data:`PART`
lines.  Each node holds:

- its lines as parallel lists (:data:`LINE_LISTS`), so a member's lines are one slice,
  newest last;
- a directory: the members in order, where each one's slice starts (``starts`` has one
  more entry, the end of the last), and the time and key of each one's first line there;
- the members' totals per currency, status and payout batch ('' for none), for balances;
- how many lines of some currency are approved and in no batch yet (``approvable``), for
  payouts.

and, the same on every node of the bucket, a digest of the bucket's lines as a run
produces them (all but their batch), so that a run skips a bucket it would not change.
Times are epoch milliseconds; a line with no approval time has -1, no cap or badge ''.
"""

from __future__ import annotations

import hashlib
import pickle
import zlib
from collections import defaultdict
from datetime import datetime
from typing import Iterable, NamedTuple, TypeVar

from ..domain import APPROVED, CANCELED, MILESTONE
from .evaluate import line_key, month_key

__all__ = ["PART", "LINE_LISTS", "NO_TIME", "MILESTONES", "Stored", "member_hash", "month_of", "bucket_count",
           "placed", "epoch_ms", "unpacked", "columns_of", "packed", "digest", "parts", "merged", "batches"]

BATCH = 5000  # lines written per transaction, in whole buckets
LINES_A_BUCKET = 32  # what a month's bucket count aims at: a node's write costs about what 30 lines' do
MAX_BUCKETS = 65_536  # a month's most: 2M lines (a million first orders) fill them
MILESTONES = 0  # the "month" of milestone lines
MILESTONE_BUCKETS = 1024  # few members reach a milestone: a programme of millions fills these
PART = 4096  # lines a node holds at most: more than a page (MAX_PAGE_SIZE) and little to decode
# A line's fields in Stored order after (member, at, key), as the bucket's lists name them.
LINE_LISTS = ("ats", "keys", "event_ids", "kinds", "amounts", "currencies", "statuses", "caps", "badges",
              "approves", "payouts")
NO_TIME = -1  # a line's approval time when it has none
TOTAL_LISTS = ("t_members", "t_currencies", "t_statuses", "t_payouts", "t_amounts", "t_lines")


class Stored(NamedTuple):
    """A line as a bucket holds it; tuples sort by member, time and key."""

    member: str
    at: int
    key: str
    event_id: str
    kind: str
    amount: int
    currency: str
    status: str
    cap: str
    badge: str
    approves: int
    payout: str


def epoch_ms(at: datetime) -> int:
    """A time of whole milliseconds (as every time read from the store is) as epoch
    milliseconds: rounded, the float's error is far below half a millisecond, and this is
    four times faster than integer timedelta arithmetic.

    >>> from datetime import timezone
    >>> epoch_ms(datetime(2024, 12, 1, 0, 0, 0, 123000, tzinfo=timezone.utc))
    1733011200123
    """
    return round(at.timestamp() * 1000)


def member_hash(member_id: str) -> int:
    """What places a member's lines: in a month of ``count`` buckets, bucket ``hash % count``."""
    return zlib.crc32(member_id.encode())


def month_of(at: datetime, kind: str) -> int:
    """The month a line is kept in: its time's as yyyymm, or MILESTONES.

    >>> from datetime import timezone
    >>> month_of(datetime(2025, 12, 31, 23, 59, tzinfo=timezone.utc), "friend"), month_of(datetime.now(), MILESTONE)
    (202512, 0)
    """
    return MILESTONES if kind == MILESTONE else month_key(at)


def bucket_count(month: int, sizes: dict[int, int]) -> int:
    """A new month's bucket count, given how many lines months hold (``sizes``): a power of
    two of about LINES_A_BUCKET lines a bucket for the month's lines or the month before's,
    whichever is more (a run early in a month sees few of its lines; the month before says
    what the month will hold).  Fixed once made: a month that outgrows it fills more parts.

    >>> bucket_count(202501, {202501: 2}), bucket_count(202501, {202501: 33}), bucket_count(202601, {202512: 2_041_175})
    (1, 2, 65536)
    """
    if month == MILESTONES:
        return MILESTONE_BUCKETS
    before = month - 89 if month % 100 == 1 else month - 1
    need = -(-max(sizes.get(month, 0), sizes.get(before, 0)) // LINES_A_BUCKET)
    return min(MAX_BUCKETS, 1 << max(0, need - 1).bit_length())


T = TypeVar("T")


def placed(month: int, lines: Iterable[tuple[str, T]], count: int) -> dict[tuple[int, int], list[T]]:
    """A month's lines, given as (member, line), by (month, bucket) in a month of ``count`` buckets."""
    by_key: dict[tuple[int, int], list[T]] = defaultdict(list)
    for member, line in lines:
        by_key[(month, member_hash(member) % count)].append(line)
    return by_key


def unpacked(node: dict) -> list[Stored]:
    """A stored node's lines, in its order."""
    rule_id = node["rule_id"]
    members = [member for m, member in enumerate(node["members"])
               for _ in range(node["starts"][m + 1] - node["starts"][m])]
    lines = [Stored(*fields) for fields in zip(members, *(node[name] for name in LINE_LISTS))]
    return [line if line.key else line._replace(key=line_key(rule_id, line.event_id, line.kind, line.member))
            for line in lines]


def columns_of(ordered: list[Stored]) -> list[tuple]:
    """Lines as one tuple per field, in Stored order."""
    return list(zip(*ordered)) if ordered else [()] * len(Stored._fields)


def packed(rule_id: str, columns: list[tuple]) -> dict:
    """The lists of a node of ``rule_id`` holding the lines ``columns`` (sorted, keys
    unique, as :func:`columns_of` gives them): lines (a key of :func:`line_key`'s form
    as '', to save writing a third of a line's bytes),
    directory, totals and how many are approvable."""
    members: list[str] = []
    starts: list[int] = []
    last = None
    for i, member in enumerate(columns[0]):
        if member != last:
            members.append(member)
            starts.append(i)
            last = member
    starts.append(len(columns[0]))
    ats, keys, amounts, currencies, statuses, payouts = (columns[i] for i in (1, 2, 5, 6, 7, 11))
    totals: dict[tuple, list[int]] = {}
    approvable = 0
    for member, amount, currency, status, payout in zip(columns[0], amounts, currencies, statuses, payouts):
        if currency:
            if amount:
                total = totals.setdefault((member, currency, status, payout), [0, 0])
                total[0] += amount
                total[1] += 1
            approvable += status == APPROVED and not payout
    held = sorted(totals)
    stored_keys = ["" if key == line_key(rule_id, event_id, kind, member) else key
                   for member, key, event_id, kind in zip(columns[0], keys, columns[3], columns[4])]
    return {"members": members, "starts": starts, "first_ats": [ats[i] for i in starts[:-1]],
            "first_keys": [keys[i] for i in starts[:-1]], "approvable": approvable,
            **{name: list(column) for name, column in zip(LINE_LISTS, columns[1:])}, "keys": stored_keys,
            **{name: [k[j] for k in held] for j, name in enumerate(TOTAL_LISTS[:4])},
            "t_amounts": [totals[k][0] for k in held], "t_lines": [totals[k][1] for k in held]}


def _digest(columns: list[tuple]) -> str:
    return hashlib.blake2b(pickle.dumps(columns[:-1], protocol=5), digest_size=16).hexdigest()


def digest(ordered: list[Stored]) -> str:
    """What a run compares to see whether a bucket changes: its sorted lines but their batch."""
    return _digest(columns_of(ordered))


def parts(rule_id: str, run_id: str, key: tuple[int, int], lines: Iterable[Stored], version: int) -> list[dict]:
    """Every property of each node of a rule's bucket ``key`` (month, bucket) holding
    ``lines`` (keys unique)."""
    columns = columns_of(sorted(lines))
    common = {"rule_id": rule_id, "month": key[0], "bucket": key[1], "run_id": run_id, "version": version,
              "digest": _digest(columns)}
    return [{**common, "part": p, **packed(rule_id, [column[start:start + PART] for column in columns])}
            for p, start in enumerate(range(0, max(len(columns[0]), 1), PART))]


def merged(stored: Iterable[Stored], produced: Iterable[Stored]) -> tuple[list[Stored], int, int]:
    """A bucket's lines after a run produced ``produced``: those, except that a line a payout
    batch settled stays as stored, and a stored line no longer produced is canceled (or
    stays, settled); with how many lines were written (new or changed) and canceled.

    >>> old = Stored("m", 1, "k1", "e1", "friend", 500, "EUR", "approved", "", "", 2, "")
    >>> merged([old], [old._replace(status="canceled")])[1:]
    (1, 0)
    >>> lines, written, canceled = merged([old._replace(payout="p")], [old._replace(amount=600)])
    >>> (lines[0].amount, written, canceled)
    (500, 0, 0)
    >>> merged([old], [])[0][0].status, merged([old], [])[2]
    ('canceled', 1)
    """
    old = {line.key: line for line in stored}
    lines: list[Stored] = []
    written = canceled = 0
    for line in produced:
        was = old.pop(line.key, None)
        if was is not None and was.payout:
            line = was
        elif line != was:
            written += 1
        lines.append(line)
    for was in old.values():
        if not was.payout and was.status != CANCELED:
            was = was._replace(status=CANCELED)
            canceled += 1
        lines.append(was)
    return lines, written, canceled


def batches(buckets: list[tuple[int, int]], lines: dict[tuple[int, int], list]) -> list[list[tuple[int, int]]]:
    """Buckets in runs of about BATCH lines (a bucket with none counts one).

    >>> batches([(1, 0), (1, 1), (2, 0)], {(1, 0): [None] * 4999, (1, 1): [None]})
    [[(1, 0), (1, 1)], [(2, 0)]]
    """
    runs: list[list[tuple[int, int]]] = [[]]
    size = 0
    for n in buckets:
        if size >= BATCH:
            runs.append([])
            size = 0
        runs[-1].append(n)
        size += max(1, len(lines.get(n, ())))
    return [run for run in runs if run]
