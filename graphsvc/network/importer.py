"""CSV imports of members, orders and identifiers (format in API.md).

A file is checked whole before anything is written; a rejected file writes
nothing and the error names every bad row (its line number in the file, the
header being line 1) and why.  Writes are batched ``UNWIND`` upserts behind
unique constraints, so re-importing the same rows changes nothing and an
interrupted import can simply be run again.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import ipaddress
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import AbstractSet, Callable, Iterable, NamedTuple, TextIO

from ..db import Database, Tx
from ..domain import CUSTOMER, IDENTIFIER_KINDS
from ..errors import Invalid
from ..money import MINOR_DIGITS
from .fields import (IDENTIFIER_COLUMNS, MEMBER_COLUMNS, MEMBER_FIELDS, ORDER_COLUMNS, ORDER_FIELDS, ORDER_OPTIONAL,
                     parse_amount)
from .forest import derive, find_cycles

__all__ = [
    "CheckedMembers",
    "Importer",
    "ImportSummary",
    "hash_identifier",
    "normalise_identifier",
]

BATCH = 5000
# A members file is one transaction (under the network lock).  An orders or identifiers
# file is one transaction up to this many rows, and one per this many beyond: Neo4j keeps
# a transaction's changes in memory, and a whole bench orders file in one exceeded what it
# allows a transaction (docs/benchmarks.md).
TRANSACTION_ROWS = 250_000
IMPORT_TIMEOUT_S = 3600
# Sponsor changes listed in an answer or audit event (all are counted).
SHOWN_SPONSOR_CHANGES = 1000

Progress = Callable[[int], None]


@dataclass(frozen=True)
class ImportSummary:
    """What an import did, or on a dry run would do: rows in the file, and of the
    records they make, how many are new, the same as stored, or changed; for
    members, every sponsor a row changes."""

    kind: str
    rows: int
    created: int
    unchanged: int
    changed: int
    sponsor_changes: tuple = ()  # {"id", "from", "to"} per member whose sponsor the file changes
    dry_run: bool = False

    @property
    def written(self) -> int:
        """Records written: new and changed ones (none on a dry run)."""
        return 0 if self.dry_run else self.created + self.changed

    def as_dict(self) -> dict:
        """The summary as the API and the audit trail show it (the first
        SHOWN_SPONSOR_CHANGES sponsor changes, and how many there are)."""
        return {"kind": self.kind, "rows": self.rows, "written": self.written, "created": self.created,
                "unchanged": self.unchanged, "changed": self.changed,
                "sponsor_changes": list(self.sponsor_changes[:SHOWN_SPONSOR_CHANGES]),
                "sponsor_changes_total": len(self.sponsor_changes), "dry_run": self.dry_run}


@dataclass(frozen=True)
class CheckedMembers:
    """A members file that passed every check, with the forest it makes."""

    rows: list[dict]
    sponsor_of: dict[str, str | None]
    stored: dict  # member id -> its stored record (_StoredMember)


@dataclass(frozen=True)
class _ParsedMembers:
    rows: list[dict]
    line_of: dict[str, int]
    errors: "_RowErrors"


class _RowErrors:
    def __init__(self):
        self.by_row: dict[int, list[str]] = defaultdict(list)

    def add(self, line: int, message: str) -> None:
        self.by_row[line].append(message)

    def raise_if_any(self, what: str) -> None:
        if self.by_row:
            count = len(self.by_row)
            raise Invalid(
                f"{what}: {count} bad row{'s' if count > 1 else ''}; nothing was written",
                {f"row {line}": messages for line, messages in sorted(self.by_row.items())},
            )


def _read(stream: TextIO, errors: _RowErrors, required: tuple[str, ...], optional: tuple[str, ...] = ()):
    """Rows as (line number, dict); Invalid when the header is wrong."""
    reader = csv.DictReader(stream)
    header = reader.fieldnames or []
    missing = [c for c in required if c not in header]
    unknown = [c for c in header if c not in required + optional]
    if missing or unknown:
        problems = ([f"missing column(s): {', '.join(missing)}"] if missing else []) + (
            [f"unknown column(s): {', '.join(unknown)}"] if unknown else []
        )
        raise Invalid("the header row is wrong; nothing was written", {"row 1": problems})
    try:
        for row in reader:
            # reader.line_num counts physical lines, so quoted newlines keep numbers true.
            if None in row:
                errors.add(reader.line_num, "more fields than the header has")
            yield reader.line_num, row
    except csv.Error as exc:  # e.g. a field longer than the csv module's limit
        raise Invalid(f"the file is not readable CSV at line {reader.line_num + 1}; nothing was written",
                      {f"row {reader.line_num + 1}": [f"not readable as CSV: {exc}"]}) from None


def _field(row: dict, name: str) -> str:
    return (row.get(name) or "").strip()


def _checked(errors: _RowErrors, line: int, raw: dict, fields: dict) -> dict:
    """The row's values by the rule table (see :mod:`.fields`), as stored; a value
    that breaks its rule is recorded with the reason and kept as given (the file
    is refused, so it is never written)."""
    values = {}
    for column, rule in fields.items():
        value = _field(raw, column)
        try:
            values[column] = rule.row(value)
        except ValueError as exc:
            errors.add(line, f"{column}: {exc}")
            values[column] = value
    return values


def normalise_identifier(kind: str, value: str) -> str:
    """The canonical form hashed for an identifier, so formatting does not hide a match.

    >>> normalise_identifier("email", "  Ann.Lee@Example.COM ")
    'ann.lee@example.com'
    >>> normalise_identifier("phone", "+1 (555) 010-9999")
    '+15550109999'
    >>> normalise_identifier("address", "12  Main St.,  Springfield")
    '12 main st springfield'
    """
    text = unicodedata.normalize("NFKC", value).strip()
    if kind == "email":
        return text.casefold()
    if kind == "phone":
        return ("+" if text.startswith("+") else "") + re.sub(r"\D", "", text)
    if kind == "ip":
        return str(ipaddress.ip_address(text))
    if kind == "address":
        return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())
    return re.sub(r"[\s-]", "", text).upper()  # device ids and card fingerprints


def hash_identifier(secret: bytes, kind: str, normalised: str) -> str:
    """Keyed hash (HMAC-SHA256) of a normalised identifier; raw values are never stored."""
    return hmac.new(secret, f"{kind}:{normalised}".encode(), hashlib.sha256).hexdigest()


def _batches(rows: list, size: int = BATCH) -> Iterable[list]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


class Importer:
    """Checks import files whole and writes each in one transaction.

    A file is either stored whole or not at all, as any reader sees it: its
    rows are written in batches inside one write transaction, which a failure
    (or a killed server) rolls back (an orders or identifiers file longer than
    TRANSACTION_ROWS: each part of that many rows).  A members file also takes the network
    lock first and checks sponsors and loops against the forest as it is under
    that lock, like a sponsor move.  Only new and changed records are written;
    the summary counts them, and a dry run reports it without writing.
    """

    def __init__(self, db: Database, identifier_secret: bytes):
        self.db = db
        self.identifier_secret = identifier_secret

    def _transaction(self, work: Callable, dry_run: bool, *args):
        """Run ``work(tx, *args)`` in one transaction: a read one for a dry run."""
        run = self.db.read_tx if dry_run else self.db.write_tx
        return run(work, *args, timeout=IMPORT_TIMEOUT_S)

    def _stored_ids(self, ids: set[str], query: str = "network/existing_ids") -> set[str]:
        found: set[str] = set()
        for batch in _batches(sorted(ids), 50_000):
            found.update(self.db.read(query, ids=batch)[0]["ids"])
        return found

    # -- members ----------------------------------------------------------------
    def _parse_members(self, stream: TextIO) -> _ParsedMembers:
        errors = _RowErrors()
        rows: list[dict] = []
        line_of: dict[str, int] = {}
        for line, raw in _read(stream, errors, MEMBER_COLUMNS):
            row = _checked(errors, line, raw, MEMBER_FIELDS)
            member_id, sponsor_id = row["id"], row["sponsor_id"]
            if member_id in line_of:
                errors.add(line, f"id: {member_id} is a duplicate of row {line_of[member_id]}")
            else:
                line_of[member_id] = line
            if sponsor_id == member_id:
                errors.add(line, "sponsor_id: a member cannot sponsor themselves")
            rows.append({**row, "line": line})
        return _ParsedMembers(rows, line_of, errors)

    @staticmethod
    def _check_forest(tx: Tx, parsed: _ParsedMembers) -> CheckedMembers:
        """The parsed rows checked against the stored forest read in ``tx``; Invalid
        with every bad row (the parse's and these)."""
        errors, line_of = parsed.errors, parsed.line_of
        stored = _forest_snapshot(tx)
        sponsor_of = {m: s.sponsor_id for m, s in stored.items()}
        for row in parsed.rows:
            if row["sponsor_id"] is not None and row["sponsor_id"] not in line_of \
                    and row["sponsor_id"] not in stored:
                errors.add(row["line"], f"sponsor_id: {row['sponsor_id']} does not exist")
            sponsor_of[row["id"]] = row["sponsor_id"]
        for cycle in find_cycles(sponsor_of):
            loop = " -> ".join(cycle + cycle[:1])
            for member in cycle:
                if member in line_of:
                    errors.add(line_of[member], f"sponsor_id: makes a sponsor cycle {loop}")
        errors.raise_if_any("members import refused")
        return CheckedMembers(parsed.rows, sponsor_of, stored)

    def check_members(self, stream: TextIO) -> CheckedMembers:
        """Every row of a members file checked, also against the stored forest;
        Invalid with every bad row, before anything is written."""
        return self.db.read_tx(self._check_forest, self._parse_members(stream))

    def import_members(self, stream: TextIO, progress: Progress | None = None,
                       on_total: Callable[[int], None] | None = None, dry_run: bool = False) -> ImportSummary:
        """Check a members file (Invalid with every bad row) and write it in one transaction
        under the network lock: new members, changed ones, sponsor edges and every derived
        property that changed.  ``on_total`` learns the number of records to write,
        ``progress`` each batch written; ``dry_run`` only says what would change."""
        parsed = self._parse_members(stream)
        return self._transaction(self._members_tx, dry_run, parsed, progress, on_total, dry_run)

    def _members_tx(self, tx: Tx, parsed: _ParsedMembers, progress: Progress | None,
                    on_total: Callable[[int], None] | None, dry_run: bool) -> ImportSummary:
        if not dry_run:
            tx.run("network/lock")
        checked = self._check_forest(tx, parsed)
        rows, stored = checked.rows, checked.stored
        fresh = [r for r in rows if r["id"] not in stored]
        changed = [r for r in rows if r["id"] in stored and _member_changed(stored[r["id"]], r)]
        moved = [{"id": r["id"], "sponsor_id": r["sponsor_id"]} for r in changed
                 if stored[r["id"]].sponsor_id != r["sponsor_id"]]
        summary = ImportSummary("members", len(rows), len(fresh), len(rows) - len(fresh) - len(changed),
                                len(changed), tuple({"id": m["id"], "from": stored[m["id"]].sponsor_id,
                                                     "to": m["sponsor_id"]} for m in moved), dry_run)
        if dry_run:
            return summary
        derived = derive(checked.sponsor_of)
        # Derived properties that changed anywhere in the forest.  No level counts are
        # stored for a member with nobody below (readers coalesce to []), as in a first
        # load, where neo4j-admin stores no empty arrays.
        changed_derived = [
            {"id": m, "depth": d.depth, "path": d.path, "level_counts": d.level_counts or None,
             "downline_total": d.downline_total}
            for m, d in derived.items()
            if m in stored and stored[m].derived != (d.depth, d.path, d.level_counts, d.downline_total)
        ]
        fresh_rows = [
            {"id": r["id"], "joined_at": r["joined_at"], "status": r["status"], "country": r["country"],
             "depth": derived[r["id"]].depth, "path": derived[r["id"]].path,
             "level_counts": derived[r["id"]].level_counts or None, "downline_total": derived[r["id"]].downline_total}
            for r in fresh
        ]
        fresh_edges = [{"id": r["id"], "sponsor_id": r["sponsor_id"]} for r in fresh if r["sponsor_id"]]
        if on_total:
            on_total(len(fresh_rows) + len(fresh_edges) + len(changed) + len(moved) + len(changed_derived))
        _write(tx, "network/create_members", fresh_rows, progress)
        _write(tx, "network/create_sponsor_edges", fresh_edges, progress)
        _write(tx, "network/upsert_members", [
            {k: r[k] for k in ("id", "joined_at", "status", "country")} for r in changed], progress)
        _write(tx, "network/set_sponsors", moved, progress)
        _write(tx, "network/set_derived", changed_derived, progress)
        return summary

    # -- orders -------------------------------------------------------------------
    def check_orders(self, stream: TextIO, members_in_load: AbstractSet[str] = frozenset()) -> list[dict]:
        """Every row of an orders file checked; sellers and buyers must be stored
        or in ``members_in_load``.  Invalid with every bad row."""
        errors = _RowErrors()
        rows: list[dict] = []
        line_of: dict[str, int] = {}
        referenced: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for line, raw in _read(stream, errors, ORDER_COLUMNS, ORDER_OPTIONAL):
            row = _checked(errors, line, raw, ORDER_FIELDS)
            order_id = row["id"]
            if order_id in line_of:
                errors.add(line, f"id: {order_id} is a duplicate of row {line_of[order_id]}")
            line_of.setdefault(order_id, line)
            seller, buyer = _field(raw, "seller_id"), _field(raw, "buyer_id") or None
            referenced[seller].append((line, "seller_id"))
            if buyer is not None:
                referenced[buyer].append((line, "buyer_id"))
            currency = _field(raw, "currency").upper()
            amount, minor = _field(raw, "amount"), None
            if currency not in MINOR_DIGITS:
                errors.add(line, f"currency: {currency or '(empty)'} is not a supported ISO 4217 code")
            else:
                try:
                    amount, minor = parse_amount(currency, amount)
                except ValueError as exc:
                    errors.add(line, f"amount: {exc}")
            customer = row.pop("customer_ref")
            rows.append({
                **row, "seller_id": seller, "buyer_id": buyer, "amount": amount, "amount_minor": minor,
                "currency": currency,
                "customer_hash": hash_identifier(self.identifier_secret, CUSTOMER, customer) if customer else None,
            })
        stored = self._stored_ids(set(referenced) - members_in_load) | (referenced.keys() & members_in_load)
        for member, uses in referenced.items():
            if member not in stored:
                for line, column in uses:
                    errors.add(line, f"{column}: member {member or '(empty)'} does not exist")
        errors.raise_if_any("orders import refused")
        return rows

    def import_orders(self, stream: TextIO, progress: Progress | None = None,
                      on_total: Callable[[int], None] | None = None, dry_run: bool = False) -> ImportSummary:
        """Check an orders file (Invalid with every bad row) and write it in one transaction
        (one per TRANSACTION_ROWS rows of a longer file): new orders created, changed ones
        updated.  ``on_total`` learns the rows, ``progress`` the rows done; ``dry_run`` as
        for members."""
        rows = self.check_orders(stream)
        if on_total:
            on_total(len(rows))
        return _combined("orders", len(rows), dry_run, [
            self._transaction(self._orders_tx, dry_run, part, progress, dry_run)
            for part in _batches(rows, TRANSACTION_ROWS)])

    @staticmethod
    def _orders_tx(tx: Tx, rows: list[dict], progress: Progress | None, dry_run: bool) -> ImportSummary:
        stored: dict[str, tuple] = {}
        for batch in _batches(rows, 50_000):
            stored.update((o.id, o[1:]) for o in tx.table("network/stored_orders", _StoredOrder,
                                                          ids=[r["id"] for r in batch]))
        fresh = [r for r in rows if r["id"] not in stored]
        changed = [r for r in rows if r["id"] in stored and stored[r["id"]] != _order_key(r)]
        summary = ImportSummary("orders", len(rows), len(fresh), len(rows) - len(fresh) - len(changed),
                                len(changed), dry_run=dry_run)
        if not dry_run:
            _write(tx, "network/create_orders", fresh, progress)
            _write(tx, "network/upsert_orders", changed, progress)
        if progress:
            progress(summary.unchanged + (len(fresh) + len(changed)) * dry_run)
        return summary

    # -- identifiers -----------------------------------------------------------------
    def check_identifiers(self, stream: TextIO,
                          members_in_load: AbstractSet[str] = frozenset()) -> tuple[list[dict], int]:
        """The distinct (member, kind, hash) links of an identifiers file and its
        row count; members must be stored or in ``members_in_load``.  Invalid
        with every bad row."""
        errors = _RowErrors()
        rows: dict[tuple, dict] = {}
        referenced: dict[str, list[int]] = defaultdict(list)
        for line, raw in _read(stream, errors, IDENTIFIER_COLUMNS):
            member, kind, value = _field(raw, "member_id"), _field(raw, "kind"), raw.get("value") or ""
            referenced[member].append(line)
            if kind not in IDENTIFIER_KINDS:
                errors.add(line, f"kind: must be one of {', '.join(IDENTIFIER_KINDS)}")
                continue
            try:
                normalised = normalise_identifier(kind, value)
            except ValueError:
                normalised = ""
            if not normalised:
                # The raw value is personal data: the message never repeats it.
                errors.add(line, f"value: not a usable {kind}")
                continue
            digest = hash_identifier(self.identifier_secret, kind, normalised)
            rows[(member, kind, digest)] = {"member_id": member, "kind": kind, "hash": digest}
        stored = self._stored_ids(set(referenced) - members_in_load) | (referenced.keys() & members_in_load)
        for member, lines in referenced.items():
            if member not in stored:
                for line in lines:
                    errors.add(line, f"member_id: member {member or '(empty)'} does not exist")
        errors.raise_if_any("identifiers import refused")
        return list(rows.values()), sum(map(len, referenced.values()))

    def import_identifiers(self, stream: TextIO, progress: Progress | None = None,
                           on_total: Callable[[int], None] | None = None, dry_run: bool = False) -> ImportSummary:
        """Check an identifiers file (Invalid with every bad row) and, in one transaction (one
        per TRANSACTION_ROWS links of a longer file), link each member to the keyed hash of
        each identifier it does not use yet.  ``on_total`` learns the links, ``progress`` the
        links done; a link is new or unchanged, never changed."""
        links, row_count = self.check_identifiers(stream)
        if on_total:
            on_total(len(links))
        return _combined("identifiers", row_count, dry_run, [
            self._transaction(self._identifiers_tx, dry_run, part, progress, dry_run)
            for part in _batches(links, TRANSACTION_ROWS)])

    @staticmethod
    def _identifiers_tx(tx: Tx, links: list[dict], progress: Progress | None, dry_run: bool) -> ImportSummary:
        stored: set[tuple] = set()
        for batch in _batches(links, 50_000):
            stored.update(map(tuple, tx.record("network/stored_links", rows=batch)["links"]))
        fresh = [link for link in links if (link["member_id"], link["kind"], link["hash"]) not in stored]
        summary = ImportSummary("identifiers", len(links), len(fresh), len(links) - len(fresh), 0, dry_run=dry_run)
        if not dry_run:
            _write(tx, "network/upsert_identifiers", fresh, progress)
        if progress:
            progress(summary.unchanged + len(fresh) * dry_run)
        return summary


def _combined(kind: str, rows: int, dry_run: bool, parts: list[ImportSummary]) -> ImportSummary:
    """One summary of a file written in several transactions."""
    return ImportSummary(kind, rows, sum(p.created for p in parts), sum(p.unchanged for p in parts),
                         sum(p.changed for p in parts), dry_run=dry_run)


def _write(tx: Tx, query: str, rows: list, progress: Progress | None) -> None:
    for batch in _batches(rows):
        tx.run(query, rows=batch)
        if progress:
            progress(len(batch))


class _StoredMember(NamedTuple):
    id: str
    sponsor_id: str | None
    joined_at: int | None  # epoch milliseconds
    status: str | None
    country: str | None
    depth: int | None
    path: str | None
    level_counts: list[int]
    downline_total: int | None

    @property
    def derived(self) -> tuple:
        return self.depth, self.path, self.level_counts, self.downline_total


def _epoch_ms(iso: str) -> int:
    """A UTC ISO time as epoch milliseconds, as Neo4j's ``epochMillis`` reads it.

    >>> _epoch_ms("1970-01-01T00:00:01.5+00:00")
    1500
    """
    moment = datetime.fromisoformat(iso)
    return (moment - datetime(1970, 1, 1, tzinfo=timezone.utc)) // timedelta(milliseconds=1)


def _member_changed(stored: _StoredMember, row: dict) -> bool:
    return (stored.sponsor_id, stored.joined_at, stored.status, stored.country) != (
        row["sponsor_id"], _epoch_ms(row["joined_at"]), row["status"], row["country"])


class _StoredOrder(NamedTuple):
    id: str
    seller_id: str | None
    buyer_id: str | None
    amount_minor: int
    currency: str
    kind: str
    at: int  # epoch milliseconds
    status: str
    customer_hash: str | None


def _order_key(row: dict) -> tuple:
    """An order row's fields in the order :class:`_StoredOrder` holds them after the id."""
    return (row["seller_id"], row["buyer_id"], row["amount_minor"], row["currency"], row["kind"],
            _epoch_ms(row["at"]), row["status"], row["customer_hash"])


def _forest_snapshot(tx: Tx) -> dict[str, _StoredMember]:
    """Every stored member with its sponsor, fields and derived properties."""
    stored: dict[str, _StoredMember] = {}
    for m in tx.table("network/forest_snapshot", _StoredMember):
        # Several sponsors (written by other tools): keep the smallest id, deterministically.
        known = stored.get(m.id)
        if known is None or min(filter(None, (known.sponsor_id, m.sponsor_id)), default=None) != known.sponsor_id:
            stored[m.id] = m
    return stored
