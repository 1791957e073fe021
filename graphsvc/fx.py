"""Exchange rates into the reporting currency, per currency and month.

Compliance figures over a period that holds several currencies are converted
into ``GRAPHSVC_REPORTING_CURRENCY`` with the rate of each amount's currency in
the month of its order; the operator imports the rates (``graphsvc import
--fx-rates``, CSV ``currency,month,rate``: ``EUR,2024-01,1.0912`` means one
euro was worth 1.0912 of the reporting currency that month).
"""

from __future__ import annotations

import csv
import re
from decimal import Decimal
from typing import TextIO

from .db import Database
from .errors import Invalid
from .money import MINOR_DIGITS

__all__ = ["FxRates", "MissingRates"]

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_RATE = re.compile(r"^\d{1,9}(\.\d{1,12})?$")


class MissingRates(Invalid):
    """Amounts in a currency and month with no rate to the reporting currency."""


class FxRates:
    """Stores and looks up exchange rates into ``reporting`` (a currency code)."""

    def __init__(self, db: Database, reporting: str):
        if reporting not in MINOR_DIGITS:
            raise ValueError(f"GRAPHSVC_REPORTING_CURRENCY {reporting!r} is not a supported ISO 4217 code")
        self.db = db
        self.reporting = reporting

    def import_rates(self, stream: TextIO) -> int:
        """Check a rates file whole (Invalid naming every bad row) and store it; the
        number of rates stored."""
        reader = csv.DictReader(stream)
        if reader.fieldnames != ["currency", "month", "rate"]:
            raise Invalid("the header row must be currency,month,rate; nothing was written",
                          {"row 1": ["Columns: currency,month,rate."]})
        rows, errors = [], {}
        for row in reader:
            line = f"row {reader.line_num}"
            currency, month, rate = ((row.get(k) or "").strip() for k in ("currency", "month", "rate"))
            problems = []
            if currency.upper() not in MINOR_DIGITS:
                problems.append(f"currency: {currency or '(empty)'} is not a supported ISO 4217 code")
            if not _MONTH.match(month):
                problems.append("month: a month as YYYY-MM")
            if not _RATE.match(rate) or Decimal(rate) == 0:
                problems.append("rate: a positive decimal, units of the reporting currency per unit")
            if problems:
                errors[line] = problems
            else:
                rows.append({"currency": currency.upper(), "month": int(month.replace("-", "")), "rate": rate})
        if errors:
            raise Invalid(f"fx rates refused: {len(errors)} bad row{'s' * (len(errors) > 1)}; nothing was written",
                          errors)
        self.db.write("fx/put_rates", rows=rows, reporting=self.reporting)
        return len(rows)

    def rates(self, pairs: set[tuple[str, int]]) -> dict[tuple[str, int], Decimal]:
        """The rate of each (currency, yyyymm month) pair (1 for the reporting currency);
        MissingRates naming every pair without one."""
        wanted = sorted(p for p in pairs if p[0] != self.reporting)
        found = {(r["currency"], r["month"]): Decimal(r["rate"])
                 for r in self.db.read("fx/rates", pairs=[list(p) for p in wanted], reporting=self.reporting)}
        missing = [p for p in wanted if p not in found]
        if missing:
            shown = ", ".join(f"{c} {m // 100}-{m % 100:02d}" for c, m in missing)
            raise MissingRates(f"no exchange rate to {self.reporting} for {shown}; import them with "
                               "graphsvc import --fx-rates",
                               {"from": [f"Missing rates to {self.reporting}: {shown}."]})
        return {**found, **{p: Decimal(1) for p in pairs if p[0] == self.reporting}}
