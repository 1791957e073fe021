"""The referral network as the app sees it: members, downline, upline, sponsor changes.

Downline summaries read the counts each member stores (see
:mod:`graphsvc.network.forest`), so their cost does not grow with the size
of the subtree; pages read one level at a time through the (depth, path)
index.  The summary and its page are separate reads (one round trip fewer
for the many members with no downline): under a concurrent sponsor move
they can differ by that move.  A sponsor change adjusts those counts on the old and new uplines and
re-roots the moved subtree's paths, all in one transaction that holds the
network lock.
"""

from __future__ import annotations

from collections import defaultdict

from ..db import Database, Tx
from ..errors import Conflict, Invalid, NotFound
from ..paging import decode_cursor, encode_cursor
from ..domain import MAX_LEVELS, MAX_PAGE_SIZE

# A downline at most this big (all depths) is paged by one scan of the subtree;
# a bigger one by one index seek per level, so the cost never grows with the subtree.
SMALL_DOWNLINE = 1000

__all__ = ["NetworkService"]


def _ancestors(path: str) -> list[str]:
    """Upline ids of the member whose path this is, nearest first.

    >>> _ancestors("/a/b/c/")
    ['b', 'a']
    """
    return path.strip("/").split("/")[-2::-1]


def _profile_delta(profile: list[int], distance: int, sign: int) -> list[int]:
    """What a subtree adds to (sign 1) or takes from (sign -1) the per-level
    counts of an ancestor ``distance`` levels above the subtree's root.

    ``profile[i]`` is the number of subtree members ``i`` levels below its root.

    >>> _profile_delta([1, 2, 1], distance=2, sign=-1)[:5]
    [0, -1, -2, -1, 0]
    """
    delta = [0] * MAX_LEVELS
    for i, count in enumerate(profile):
        level = distance + i
        if level > MAX_LEVELS:
            break
        delta[level - 1] = sign * count
    return delta


def _found(rows: list[dict], member_id: str) -> dict:
    if not rows:
        raise NotFound(f"member {member_id} does not exist")
    return rows[0]


def _member(row: dict) -> dict:
    """A member row as the API shows a member."""
    return {
        "id": row["id"], "sponsor_id": row["sponsor_id"], "joined_at": row["joined_at"],
        "status": row["status"], "country": row["country"],
        "direct_recruits": row["level_counts"][0] if row["level_counts"] else 0,
        "downline_total": row["downline_total"],
    }


class NetworkService:
    """Members, downline pages, upline and sponsor moves over the stored forest."""

    def __init__(self, db: Database):
        self.db = db
        self.max_depth = MAX_LEVELS
        self.max_page_size = MAX_PAGE_SIZE

    def member(self, member_id: str) -> dict:
        """A member with direct recruits and total downline."""
        return _member(_found(self.db.read("network/member", ids=[member_id]), member_id))

    def search(self, prefix: str, limit: int, cursor: str | None) -> dict:
        """Members whose id starts with ``prefix``, by id: ``limit`` after ``cursor``, and
        the next page's cursor."""
        after = decode_cursor(cursor, ("after",))["after"] if cursor else ""
        if not isinstance(after, str):
            raise Invalid("The cursor is not valid.", {"cursor": ["Not a cursor this service issued."]})
        ids = [r["id"] for r in self.db.read("network/search_ids", prefix=prefix, after=after, limit=limit + 1)]
        rows = sorted(self.db.read("network/member", ids=ids[:limit]), key=lambda row: row["id"])
        return {"items": [_member(row) for row in rows],
                "next_cursor": encode_cursor({"after": ids[limit - 1]}) if len(ids) > limit else None}

    def downline(self, member_id: str, depth: int, limit: int, cursor: str | None) -> dict:
        """Counts within ``depth`` levels and one page ordered by (level, id)."""
        if not 1 <= depth <= self.max_depth:
            raise Invalid(f"depth must be 1..{self.max_depth}", {"depth": [f"Between 1 and {self.max_depth}."]})
        if not 1 <= limit <= self.max_page_size:
            raise Invalid(f"limit must be 1..{self.max_page_size}", {"limit": [f"Between 1 and {self.max_page_size}."]})
        position = decode_cursor(cursor, ("level", "after")) if cursor else {"level": 1, "after": ""}
        level = position["level"]
        # A cursor names a level below the member (1..depth): never the member itself.
        if type(level) is not int or not 1 <= level <= depth or not isinstance(position["after"], str):
            raise Invalid("The cursor is not valid.", {"cursor": ["Not a cursor this service issued."]})
        member = _found(self.db.read("network/position", id=member_id), member_id)
        counts = member["level_counts"][:depth]
        levels = [{"level": i + 1, "count": c} for i, c in enumerate(counts) if c]
        level, after = position["level"], position["after"]
        if not any(counts[level - 1 :]):
            items, next_cursor = [], None
        elif member["downline_total"] <= SMALL_DOWNLINE:
            items, next_cursor = self._small_downline_page(member, depth, level, after, limit)
        else:
            items, next_cursor = self._downline_page_by_level(member, counts, level, after, limit)
        return {"member_id": member_id, "depth": depth, "total": sum(counts), "levels": levels,
                "items": items, "next_cursor": next_cursor}

    def _small_downline_page(self, member: dict, depth: int, level: int, after: str,
                             limit: int) -> tuple[list[dict], str | None]:
        """The whole page in one query: the subtree is small enough to scan."""
        rows = self.db.read("network/small_downline_page", prefix=member["path"], from_depth=member["depth"],
                            to_depth=member["depth"] + depth, cursor_depth=member["depth"] + level,
                            after=after, limit=limit + 1)
        items = [{**{k: v for k, v in row.items() if k != "depth"}, "level": row["depth"] - member["depth"]}
                 for row in rows[:limit]]
        more = len(rows) > limit
        return items, encode_cursor({"level": items[-1]["level"], "after": items[-1]["id"]}) if more else None

    def _downline_page_by_level(self, member: dict, counts: list[int], level: int, after: str,
                                limit: int) -> tuple[list[dict], str | None]:
        """One index seek per level, for subtrees too big to scan."""
        items: list[dict] = []
        next_cursor = None
        while level <= len(counts) and next_cursor is None:
            if counts[level - 1]:
                want = limit - len(items)
                rows = self.db.read("network/downline_level_page", depth=member["depth"] + level,
                                    prefix=member["path"], after=after, limit=want + 1)
                items.extend({**row, "level": level} for row in rows[:want])
                if len(rows) > want:
                    next_cursor = encode_cursor({"level": level, "after": items[-1]["id"]})
                elif len(items) == limit and any(counts[level:]):
                    next_cursor = encode_cursor({"level": level + 1, "after": ""})
            level, after = level + 1, ""
        return items, next_cursor

    def upline(self, member_id: str, levels: int) -> dict:
        """The sponsor chain of a member, ``levels`` deep, nearest first; NotFound for an unknown member."""
        if not 1 <= levels <= self.max_depth:
            raise Invalid(f"levels must be 1..{self.max_depth}", {"levels": [f"Between 1 and {self.max_depth}."]})
        member = _found(self.db.read("network/position", id=member_id), member_id)
        upline = _ancestors(member["path"] or f"/{member_id}/")[:levels]
        return {"member_id": member_id, "items": [{"id": m, "level": i + 1} for i, m in enumerate(upline)]}

    @staticmethod
    def join(tx: Tx, member: dict, sponsor: dict | None, referral: dict) -> dict:
        """Add a new member (no downline yet) under ``sponsor`` (its id, path and depth;
        or as a root) inside ``tx``, which holds the network lock: its depth and path, and
        every ancestor's level counts, as a sponsor move keeps them; ``referral`` (via,
        code, campaign, channel, status, reasons) goes on the REFERRED edge.  A new member
        has no downline, so no attribution can close a loop.  Returns the member as
        :meth:`member` does."""
        ancestors = [sponsor["id"]] + _ancestors(sponsor["path"]) if sponsor else []
        return _member(tx.run("network/join", ids=[member["id"]], rows=[{
            # The referral's status goes on the edge; the member keeps its own.
            **referral, **member, "referral_status": referral.get("status"), "sponsor_id": sponsor["id"] if sponsor else None,
            "depth": sponsor["depth"] + 1 if sponsor else 0, "level_counts": [], "downline_total": 0,
            "path": (sponsor["path"] if sponsor else "/") + member["id"] + "/"}],
            changes=[{"id": a, "delta": _profile_delta([1], d, 1), "total": 1}
                     for d, a in enumerate(ancestors, start=1)])[0])

    @staticmethod
    def shown(row: dict) -> dict:
        """A member row (network/member's columns) as the API shows a member."""
        return _member(row)

    def change_sponsor(self, member_id: str, sponsor_id: str) -> dict:
        """Move a member (with its downline) under a new sponsor.

        Conflict, with the loop in ``errors.path``, when the new sponsor is in
        the member's downline (or is the member).  Returns the member as
        :meth:`member` does, with ``previous_sponsor_id``.
        """
        previous = self.db.write_tx(self._change_sponsor, member_id, sponsor_id)
        return {**self.member(member_id), "previous_sponsor_id": previous}

    def _change_sponsor(self, tx: Tx, member_id: str, sponsor_id: str) -> str | None:
        tx.run("network/lock")
        rows = {r["id"]: r for r in tx.run("network/members_by_id", ids=[member_id, sponsor_id])}
        for missing in (member_id, sponsor_id):
            if missing not in rows:
                raise NotFound(f"member {missing} does not exist")
        member, sponsor = rows[member_id], rows[sponsor_id]
        if sponsor["path"].startswith(member["path"]):
            below = sponsor["path"][len(member["path"]) - len(member_id) - 1 :].strip("/").split("/")
            loop = below + [member_id]
            raise Conflict(
                f"{sponsor_id} is in the downline of {member_id}: the change would make a cycle",
                {"path": loop},
            )
        old_ancestors = _ancestors(member["path"])
        previous = old_ancestors[0] if old_ancestors else None
        if previous == sponsor_id:
            return previous
        profile = [1] + member["level_counts"]
        size = 1 + member["downline_total"]
        changes: dict[str, list[int]] = defaultdict(lambda: [0] * MAX_LEVELS)
        totals: dict[str, int] = defaultdict(int)
        moves = [(a, d, -1) for d, a in enumerate(old_ancestors, start=1)]
        moves += [(a, d, 1) for d, a in enumerate([sponsor_id] + _ancestors(sponsor["path"]), start=1)]
        for ancestor, distance, sign in moves:
            delta = _profile_delta(profile, distance, sign)
            changes[ancestor] = [x + y for x, y in zip(changes[ancestor], delta)]
            totals[ancestor] += sign * size
        tx.run("network/adjust_counts", changes=[
            {"id": a, "delta": changes[a], "total": totals[a]}
            for a in changes if totals[a] or any(changes[a])
        ])
        tx.run("network/move_subtree", old_prefix=member["path"],
               new_prefix=sponsor["path"] + member_id + "/",
               depth_change=sponsor["depth"] + 1 - member["depth"])
        tx.run("network/set_sponsor_edge", id=member_id, sponsor_id=sponsor_id)
        return previous
