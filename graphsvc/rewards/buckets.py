"""Reward lines as stored: lists per rule and bucket of members.

A node per line made a run's writing cost tens of microseconds a line (the node, its
index entries, the member's totals); a bucket holds about thirty lines of a few members,
written whole in one property update.  A bucket's lines, sorted by member, time and key,
fill nodes of at most :data:`PART` lines (one for all but a big referrer's bucket, so
that a page of its lines decodes two nodes' lists, not all of them).  Each node holds:

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
from datetime import datetime
from typing import Iterable, NamedTuple

from ..domain import APPROVED, CANCELED

__all__ = ["BUCKETS", "PART", "LINE_LISTS", "NO_TIME", "Stored", "bucket_of", "epoch_ms", "unpacked", "packed",
           "digest", "parts", "merged", "batches"]

BATCH = 5000  # lines written per transaction, in whole buckets
BUCKETS = 65_536  # about thirty lines each for a million members with two lines each
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


def bucket_of(member_id: str) -> int:
    """The bucket that holds a member's lines (in every rule).

    >>> bucket_of("M0000001") == bucket_of("M0000001") and 0 <= bucket_of("M0000001") < BUCKETS
    True
    """
    return zlib.crc32(member_id.encode()) % BUCKETS


def unpacked(node: dict) -> list[Stored]:
    """A stored node's lines, in its order."""
    columns = [node[name] for name in LINE_LISTS]
    members = [member for m, member in enumerate(node["members"])
               for _ in range(node["starts"][m + 1] - node["starts"][m])]
    return [Stored(*fields) for fields in zip(members, *columns)]


def packed(ordered: list[Stored]) -> dict:
    """The lists of a node holding ``ordered`` (sorted lines, keys unique): lines,
    directory, totals and how many are approvable."""
    members: list[str] = []
    starts: list[int] = []
    first_ats: list[int] = []
    first_keys: list[str] = []
    totals: dict[tuple, list[int]] = {}
    approvable = 0
    last = None
    for i, (member, at, key, _, _, amount, currency, status, _, _, _, payout) in enumerate(ordered):
        if member != last:
            members.append(member)
            starts.append(i)
            first_ats.append(at)
            first_keys.append(key)
            last = member
        if currency:
            if amount:
                total = totals.setdefault((member, currency, status, payout), [0, 0])
                total[0] += amount
                total[1] += 1
            approvable += status == APPROVED and not payout
    starts.append(len(ordered))
    columns = list(zip(*ordered)) if ordered else [()] * len(Stored._fields)
    keys = sorted(totals)
    return {"members": members, "starts": starts, "first_ats": first_ats, "first_keys": first_keys,
            "approvable": approvable, **{name: list(column) for name, column in zip(LINE_LISTS, columns[1:])},
            **{name: [k[j] for k in keys] for j, name in enumerate(TOTAL_LISTS[:4])},
            "t_amounts": [totals[k][0] for k in keys], "t_lines": [totals[k][1] for k in keys]}


def digest(ordered: list[Stored]) -> str:
    """What a run compares to see whether a bucket changes: its sorted lines but their batch."""
    return hashlib.blake2b(pickle.dumps([line[:-1] for line in ordered], protocol=5), digest_size=16).hexdigest()


def parts(rule_id: str, run_id: str, bucket: int, lines: Iterable[Stored], version: int) -> list[dict]:
    """Every property of each node of a rule's bucket holding ``lines`` (keys unique)."""
    ordered = sorted(lines)
    common = {"rule_id": rule_id, "bucket": bucket, "run_id": run_id, "version": version, "digest": digest(ordered)}
    return [{**common, "part": p, **packed(ordered[start:start + PART])}
            for p, start in enumerate(range(0, max(len(ordered), 1), PART))]


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
