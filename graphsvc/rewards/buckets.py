"""Reward lines as stored: one node per rule and bucket of members, its lines as lists.

A node per line made a run's writing cost tens of microseconds a line (the node, its
index entries, the member's totals); a bucket holds about thirty lines of a few members
(a big referrer's thousands), written whole in one property update.  A bucket holds:

- its lines as parallel lists (:data:`LINE_LISTS`), sorted by member, time and key, so a
  member's lines are one slice, newest last;
- a directory: the members in order and where each one's slice starts (``starts`` has
  one more entry, the end of the last);
- the members' totals per currency, status and payout batch ('' for none), for balances;
- how many lines of some currency are approved and in no batch yet (``approvable``), for
  payouts.

Times are epoch milliseconds; a line with no approval time has -1, no cap or badge ''.
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from datetime import datetime, timedelta, timezone
from typing import Iterable, NamedTuple

from ..domain import APPROVED, CANCELED

__all__ = ["BUCKETS", "LINE_LISTS", "NO_TIME", "Stored", "bucket_of", "epoch_ms", "unpacked", "packed", "properties",
           "merged", "batches"]

BATCH = 5000  # lines written per transaction, in whole buckets
BUCKETS = 65_536  # about thirty lines each for a million members with two lines each
# A line's fields in Stored order after (member, at, key), as the bucket's lists name them.
LINE_LISTS = ("ats", "keys", "event_ids", "kinds", "amounts", "currencies", "statuses", "caps", "badges",
              "approves", "payouts")
NO_TIME = -1  # a line's approval time when it has none
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
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
    """A time as epoch milliseconds, exactly (integer arithmetic, no float rounding).

    >>> epoch_ms(datetime(1970, 1, 1, 0, 0, 1, 999000, tzinfo=timezone.utc))
    1999
    """
    return (at - EPOCH) // timedelta(milliseconds=1)


def bucket_of(member_id: str) -> int:
    """The bucket that holds a member's lines (in every rule).

    >>> bucket_of("M0000001") == bucket_of("M0000001") and 0 <= bucket_of("M0000001") < BUCKETS
    True
    """
    return zlib.crc32(member_id.encode()) % BUCKETS


def unpacked(bucket: dict) -> list[Stored]:
    """A stored bucket's lines, in its order."""
    columns = [bucket[name] for name in LINE_LISTS]
    members = [member for m, member in enumerate(bucket["members"])
               for _ in range(bucket["starts"][m + 1] - bucket["starts"][m])]
    return [Stored(*fields) for fields in zip(members, *columns)]


def packed(lines: Iterable[Stored]) -> dict:
    """The properties of a bucket holding ``lines`` (in any order; keys unique)."""
    ordered = sorted(lines)
    members: list[str] = []
    starts: list[int] = []
    totals: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    approvable = 0
    for i, line in enumerate(ordered):
        if not members or members[-1] != line.member:
            members.append(line.member)
            starts.append(i)
        if line.currency and line.amount:
            total = totals[(line.member, line.currency, line.status, line.payout)]
            total[0] += line.amount
            total[1] += 1
        approvable += line.status == APPROVED and not line.payout and bool(line.currency)
    starts.append(len(ordered))
    columns = list(zip(*ordered)) if ordered else [()] * len(Stored._fields)
    keys = sorted(totals)
    return {"members": members, "starts": starts, "approvable": approvable,
            **{name: list(column) for name, column in zip(LINE_LISTS, columns[1:])},
            **{name: [k[j] for k in keys] for j, name in enumerate(TOTAL_LISTS[:4])},
            "t_amounts": [totals[k][0] for k in keys], "t_lines": [totals[k][1] for k in keys]}


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


def properties(rule_id: str, run_id: str, bucket: int, lines: Iterable[Stored], version: int) -> dict:
    """Every property of a rule's bucket holding ``lines``, as the writes of buckets set them."""
    return {"rule_id": rule_id, "bucket": bucket, "run_id": run_id, "version": version, **packed(lines)}


def batches(buckets: list[int], lines: dict[int, list[Stored]]) -> list[list[int]]:
    """Buckets in runs of about BATCH lines (a bucket with none counts one).

    >>> batches([1, 2, 3], {1: [None] * 4999, 2: [None]})
    [[1, 2], [3]]
    """
    runs: list[list[int]] = [[]]
    size = 0
    for n in buckets:
        if size >= BATCH:
            runs.append([])
            size = 0
        runs[-1].append(n)
        size += max(1, len(lines.get(n, ())))
    return [run for run in runs if run]
