"""Money: integer minor units in storage, Decimal at the edges, never float."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

__all__ = ["MINOR_DIGITS", "to_decimal", "format_minor", "format_per", "convert_minor"]

# ISO 4217 minor units of the currencies the programme accepts.
MINOR_DIGITS = {
    "USD": 2, "EUR": 2, "GBP": 2, "CHF": 2, "CAD": 2, "AUD": 2, "NZD": 2, "SEK": 2,
    "NOK": 2, "DKK": 2, "PLN": 2, "CZK": 2, "HUF": 2, "BRL": 2, "MXN": 2, "INR": 2,
    "CNY": 2, "SGD": 2, "HKD": 2, "ZAR": 2, "JPY": 0, "KRW": 0, "VND": 0, "CLP": 0,
    "KWD": 3, "BHD": 3, "JOD": 3, "OMR": 3, "TND": 3,
}


def to_decimal(amount_minor: int, currency: str) -> Decimal:
    """Integer minor units as a Decimal with the currency's digits.

    >>> to_decimal(-1234, "USD")
    Decimal('-12.34')
    >>> to_decimal(500, "JPY")
    Decimal('500')
    """
    return Decimal(amount_minor).scaleb(-MINOR_DIGITS[currency])


def format_minor(amount_minor: int, currency: str) -> str:
    """Integer minor units as the decimal string the API and reports show.

    >>> format_minor(150, "USD"), format_minor(-5, "KWD")
    ('1.50', '-0.005')
    """
    return str(to_decimal(amount_minor, currency))


def format_per(amount_minor: int, count: int, currency: str) -> str:
    """An amount shared by ``count`` (> 0), as a decimal string rounded half-even to
    the currency's minor unit.

    >>> format_per(1000, 3, "USD"), format_per(5, 2, "JPY"), format_per(-250, 2, "EUR")
    ('3.33', '2', '-1.25')
    """
    share = to_decimal(amount_minor, currency) / count
    return str(share.quantize(Decimal(1).scaleb(-MINOR_DIGITS[currency]), rounding=ROUND_HALF_EVEN))


def convert_minor(amount_minor: int, source: str, target: str, rate: Decimal) -> int:
    """Minor units of ``source`` in minor units of ``target`` at ``rate`` (units of
    target per unit of source), rounded half-even to the target's minor unit.

    >>> convert_minor(1000, "JPY", "USD", Decimal("0.0067")), convert_minor(5000, "EUR", "USD", Decimal("1.1"))
    (670, 5500)
    >>> convert_minor(1, "USD", "JPY", Decimal("150"))  # 0.01 USD = 1.5 JPY -> 2 (half-even)
    2
    """
    converted = (to_decimal(amount_minor, source) * rate).quantize(Decimal(1).scaleb(-MINOR_DIGITS[target]),
                                                                   rounding=ROUND_HALF_EVEN)
    return int(converted.scaleb(MINOR_DIGITS[target]))
