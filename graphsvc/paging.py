"""Opaque cursors: base64url JSON that clients pass back unchanged."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Callable

from .errors import Invalid

__all__ = ["encode_cursor", "decode_cursor", "newest_first"]


def encode_cursor(position: dict) -> str:
    """An opaque cursor holding a page's position (a dict of JSON values)."""
    raw = json.dumps(position, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, keys: tuple[str, ...]) -> dict:
    """The position a cursor holds; Invalid when it was not made by encode_cursor."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        position = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        position = None
    if not isinstance(position, dict) or set(position) != set(keys):
        raise Invalid("The cursor is not valid.", {"cursor": ["Not a cursor this service issued."]})
    return position


def newest_first(read: Callable[..., list[dict]], query: str, limit: int, cursor: str | None) -> dict:
    """A page of records newest first by (at, id): ``limit`` of them after ``cursor``,
    and the next page's cursor.  ``query`` takes before_at, before_id and limit."""
    before = decode_cursor(cursor, ("at", "id")) if cursor else {"at": None, "id": None}
    rows = read(query, before_at=before["at"], before_id=before["id"], limit=limit + 1)
    items = rows[:limit]
    next_cursor = encode_cursor({"at": items[-1]["at"], "id": items[-1]["id"]}) if len(rows) > limit else None
    return {"items": items, "next_cursor": next_cursor}
