"""Periods given as dates or times: half-open [from, to) in UTC."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from .errors import Invalid

__all__ = ["parse_instant", "parse_period", "calendar_period"]


def parse_instant(value: str | date | datetime, field: str) -> datetime:
    """A date (midnight UTC) or a zoned ISO-8601 time, as an aware UTC datetime.

    >>> parse_instant("2024-03-01", "from").isoformat()
    '2024-03-01T00:00:00+00:00'
    """
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime(value.year, value.month, value.day)
    else:
        try:
            parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            raise Invalid(f"{field} is not a date or time", {field: ["A date (2024-03-01) or a zoned ISO-8601 time."]})
    if parsed.tzinfo is None:
        if parsed.time() != datetime.min.time():
            raise Invalid(f"{field} has no time zone", {field: ["Give a time zone, e.g. Z."]})
        parsed = parsed.replace(tzinfo=timezone.utc)
    try:
        return parsed.astimezone(timezone.utc)
    except OverflowError:
        raise Invalid(f"{field} is out of range", {field: ["A time between the years 1 and 9999 in UTC."]}) from None


def parse_period(start, end) -> tuple[datetime, datetime]:
    """``[start, end)`` as UTC datetimes; Invalid when either is not a date or zoned time, or the period is empty."""
    start, end = parse_instant(start, "from"), parse_instant(end, "to")
    if not start < end:
        raise Invalid("the period is empty", {"to": ["Must be after from."]})
    return start, end


def calendar_period(period: str, at: datetime) -> tuple[datetime, datetime]:
    """The UTC calendar day, month or year holding ``at``, as ``[start, end)``.

    >>> [t.date().isoformat() for t in calendar_period("month", parse_instant("2024-12-31T23:00:00Z", "at"))]
    ['2024-12-01', '2025-01-01']
    >>> [t.date().isoformat() for t in calendar_period("day", parse_instant("2024-02-29", "at"))]
    ['2024-02-29', '2024-03-01']
    """
    if period == "day":
        start = datetime(at.year, at.month, at.day, tzinfo=timezone.utc)
        return start, start + timedelta(days=1)
    if period == "month":
        start = datetime(at.year, at.month, 1, tzinfo=timezone.utc)
        return start, datetime(at.year + at.month // 12, at.month % 12 + 1, 1, tzinfo=timezone.utc)
    start = datetime(at.year, 1, 1, tzinfo=timezone.utc)
    return start, datetime(at.year + 1, 1, 1, tzinfo=timezone.utc)
