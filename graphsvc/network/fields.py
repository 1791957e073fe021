"""What a valid value is, column by column, for every import file: one rule
table that both import paths read.

Each rule checks one value for the row-by-row import (:meth:`row`: the value
as stored, or ValueError with the reason) and a whole column for the first
load (:meth:`canonical`: True when every value is valid *and* already in the
form :meth:`row` would store, so the column can be written as it stands).
A column that is not canonical goes to the row checks, which either store
the values they accept or name every bad row; so both paths accept the same
files and store the same values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..domain import (COUNTRIES, ID_RULE_TEXT, MAX_AMOUNT_MINOR, MEMBER_ID, MEMBER_STATUSES, ORDER_ID, ORDER_KINDS,
                      ORDER_STATUSES)
from ..money import MINOR_DIGITS, format_minor

__all__ = [
    "Id",
    "OneOf",
    "Time",
    "Country",
    "Reference",
    "MEMBER_FIELDS",
    "ORDER_FIELDS",
    "MEMBER_COLUMNS",
    "ORDER_COLUMNS",
    "ORDER_OPTIONAL",
    "IDENTIFIER_COLUMNS",
    "canonical",
    "parse_amount",
    "canonical_amounts",
    "every",
]

CANONICAL_TIME = r"^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$"
CANONICAL_AMOUNT = r"^(0|[1-9][0-9]{0,14})(\.[0-9]+)?$"
# Printable ASCII with nothing to trim (Python's strip and Arrow's disagree on some
# control characters; anything else takes the row-by-row check).
CANONICAL_REFERENCE = r"^([!-~]([ -~]*[!-~])?)?$"
# An amount as written: ASCII digits and at most one decimal point (no sign, exponent or separators).
AMOUNT = r"[0-9]+(\.[0-9]*)?|\.[0-9]+"


def every(mask: pa.Array | pa.ChunkedArray) -> bool:
    """True when every entry is true (nulls count as false)."""
    return pc.all(pc.fill_null(mask, False), min_count=0).as_py()


@dataclass(frozen=True)
class Id:
    """An id by the id rule; with ``optional``, empty means none."""

    pattern: re.Pattern
    optional: bool = False

    def row(self, value: str) -> str | None:
        """The id as stored (None when optional and empty); ValueError with the reason."""
        if self.optional and not value:
            return None
        if not self.pattern.match(value):
            raise ValueError(f"not a valid id ({ID_RULE_TEXT})")
        return value

    def canonical(self, column: pa.ChunkedArray) -> bool:
        """Whether every value of the column is a valid id (or empty, when optional)."""
        valid = pc.match_substring_regex(column, self.pattern.pattern)
        return every(pc.or_(pc.equal(column, ""), valid) if self.optional else valid)


@dataclass(frozen=True)
class OneOf:
    """One of a fixed list of words, exactly."""

    allowed: tuple[str, ...]

    def row(self, value: str) -> str:
        """The word as stored; ValueError naming the allowed words."""
        if value not in self.allowed:
            raise ValueError(f"must be one of {', '.join(self.allowed)}")
        return value

    def canonical(self, column: pa.ChunkedArray) -> bool:
        """Whether every value of the column is one of the words."""
        return every(pc.is_in(column, value_set=pa.array(self.allowed)))


class Time:
    """An ISO-8601 time with a zone, stored as a UTC ISO string.

    Sent as a string and turned into a datetime by Cypher: the driver packs
    strings many times faster than datetime objects.

    >>> Time().row("2024-03-01T10:30:00+01:00")
    '2024-03-01T09:30:00+00:00'
    """

    def row(self, value: str) -> str:
        """The time as a UTC ISO string; ValueError with an example of the form."""
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
            if parsed.tzinfo is None:
                raise ValueError("no zone")
            return parsed.astimezone(timezone.utc).isoformat()
        except (ValueError, OverflowError):  # OverflowError: beyond year 9999 in UTC
            raise ValueError("not an ISO-8601 time with a zone, e.g. 2024-03-01T09:30:00Z") from None

    def canonical(self, column: pa.ChunkedArray) -> bool:
        """Whether every value is a real UTC time written as YYYY-MM-DDTHH:MM:SSZ."""
        if not every(pc.match_substring_regex(column, CANONICAL_TIME)):
            return False
        try:
            pc.cast(column, pa.timestamp("s", tz="UTC"))  # refuses 2023-02-30, 24:00:00, :60
        except pa.ArrowInvalid:
            return False
        return True


class Country:
    """An assigned ISO 3166-1 alpha-2 code, stored upper-case.

    >>> Country().row("gb")
    'GB'
    >>> Country().row("ß")  # upper-cases to SS, which is no country
    Traceback (most recent call last):
    ...
    ValueError: must be a two-letter ISO 3166 code
    """

    def row(self, value: str) -> str:
        """The code upper-cased; ValueError when it is no assigned code."""
        code = value.upper() if value.isascii() else ""
        if code not in COUNTRIES:
            raise ValueError("must be a two-letter ISO 3166 code")
        return code

    def canonical(self, column: pa.ChunkedArray) -> bool:
        """Whether every value is an assigned code in upper case."""
        return every(pc.is_in(column, value_set=pa.array(sorted(COUNTRIES))))


class Reference:
    """Free text (a retail customer's reference), stored trimmed."""

    def row(self, value: str) -> str:
        """The reference as given (already trimmed)."""
        return value

    def canonical(self, column: pa.ChunkedArray) -> bool:
        """Whether every value is printable ASCII with nothing to trim."""
        return every(pc.match_substring_regex(column, CANONICAL_REFERENCE))


# The columns of each file with their rules (values arrive stripped of surrounding
# blanks).  An order's amount and currency are checked together: parse_amount.
MEMBER_FIELDS = {
    "id": Id(MEMBER_ID),
    "sponsor_id": Id(MEMBER_ID, optional=True),
    "joined_at": Time(),
    "status": OneOf(MEMBER_STATUSES),
    "country": Country(),
}
ORDER_FIELDS = {
    "id": Id(ORDER_ID),
    "kind": OneOf(ORDER_KINDS),
    "at": Time(),
    "status": OneOf(ORDER_STATUSES),
    "customer_ref": Reference(),
}


# Each file's header: required columns, then optional ones.
MEMBER_COLUMNS = tuple(MEMBER_FIELDS)
ORDER_COLUMNS = ("id", "seller_id", "buyer_id", "amount", "currency", "kind", "at", "status")
ORDER_OPTIONAL = ("customer_ref",)
IDENTIFIER_COLUMNS = ("member_id", "kind", "value")


def canonical(table: pa.Table, fields: dict) -> bool:
    """Whether every column of the table that ``fields`` names is canonical."""
    return all(rule.canonical(table[name]) for name, rule in fields.items())


def parse_amount(currency: str, text: str) -> tuple[str, int]:
    """A decimal amount as its canonical string and integer minor units;
    ValueError with the reason when it is not one.

    >>> parse_amount("USD", "5.5")
    ('5.50', 550)
    >>> parse_amount("JPY", "100")
    ('100', 100)
    >>> parse_amount("USD", "1.005")
    Traceback (most recent call last):
    ...
    ValueError: USD has 2 minor digits at most
    >>> parse_amount("USD", "1e5")
    Traceback (most recent call last):
    ...
    ValueError: not a decimal number: digits with at most one decimal point, e.g. 12.50
    """
    digits = MINOR_DIGITS[currency]
    if not re.fullmatch(AMOUNT, text):
        raise ValueError("not a decimal number: digits with at most one decimal point, e.g. 12.50")
    value = Decimal(text)
    if -value.as_tuple().exponent > digits:
        raise ValueError(f"{currency} has {digits} minor digits at most")
    value = value.quantize(Decimal(1).scaleb(-digits))
    minor = int(value.scaleb(digits))
    if minor > MAX_AMOUNT_MINOR:
        raise ValueError(f"more than the largest amount accepted, {format_minor(MAX_AMOUNT_MINOR, currency)}")
    return str(value), minor


def canonical_amounts(amount: pa.ChunkedArray, currency: pa.ChunkedArray) -> bool:
    """Known currencies, and amounts written with exactly their minor digits,
    unpadded: what :func:`parse_amount` returns unchanged."""
    codes = list(MINOR_DIGITS)
    currency_at = pc.fill_null(pc.index_in(currency, value_set=pa.array(codes)), -1).to_numpy().astype(np.int64)
    digits = np.array([MINOR_DIGITS[c] for c in codes] + [0])[currency_at]
    dot = pc.find_substring(amount, ".").to_numpy().astype(np.int64)
    fraction = np.where(dot >= 0, pc.utf8_length(amount).to_numpy() - dot - 1, 0)
    if not (np.all(currency_at >= 0) and every(pc.match_substring_regex(amount, CANONICAL_AMOUNT))
            and np.all(fraction == digits)):
        return False
    # At most 15 whole and 3 minor digits: the minor units fit an int64 to compare with the bound.
    minor = pc.cast(pc.replace_substring(amount, ".", ""), pa.int64())
    return every(pc.less_equal(minor, MAX_AMOUNT_MINOR))
