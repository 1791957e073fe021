"""Money: integer minor units in storage, Decimal at the edges, never float."""

from __future__ import annotations

from decimal import Decimal

__all__ = ["MINOR_DIGITS", "to_decimal", "format_minor"]

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
