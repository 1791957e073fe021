"""CSV imports of members, orders and identifiers (format in the README).

A file is checked whole before anything is written; a rejected file writes
nothing and the error names every bad row (its line number in the file, the
header being line 1) and why.  Every import that writes is recorded as an
(:Import) with its status and counts, and readers see all of it or none of it:

- a members file is written in one transaction, under the network lock;
- an orders or identifiers file writes its new orders and links in small
  committed transactions, each tagged with the import's id, which every reader
  skips while the import is 'writing'; one last transaction applies its
  changed rows and marks it complete, so all of it appears at once (a flag
  flipped on the record, not on each row: Neo4j holds a transaction's changes
  in memory, and 1.5M orders did not fit in one on a 4 GiB heap).

An import holds a lease while it runs (an open transaction carrying its id),
so the next import can tell an interrupted one (killed process or server)
from one still running, and removes what it wrote.  Re-importing the same
rows changes nothing; the summary counts new, unchanged and changed records.
"""

from __future__ import annotations

import csv
import hmac
import io
import ipaddress
import re
import unicodedata
import uuid
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import AbstractSet, Callable, Iterable, NamedTuple, TextIO

from ..db import ConstraintViolation, Database, DatabaseUnavailable, Tx
from ..domain import CUSTOMER, IDENTIFIER_KINDS
from ..errors import Conflict, Invalid, NotFound
from ..money import MINOR_DIGITS
from ..paging import newest_first
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
# Orders are staged on two writers: their batches create disjoint nodes, and Neo4j runs
# each on one core (docs/benchmarks.md).  Identifier links stay on one: batches MERGE
# the same identifier nodes and would deadlock.
ORDER_WRITERS = 2
# Rows of an unfinished import removed per transaction.
DISCARD_BATCH = 50_000
# An import's transactions, its reads of the stored rows it compares included: an import is
# an operator's long job, not an API read, and a slow moment of the server must not fail it.
# (Its row checks, which live orders share, keep the API's timeout.)
IMPORT_TIMEOUT_S = 3600
INTERRUPTED = ("interrupted before it finished (its process or Neo4j stopped); "
               "its staged rows were removed and nothing of it is stored")
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
    import_id: str | None = None  # the (:Import) record (none on a dry run)

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
                "sponsor_changes_total": len(self.sponsor_changes), "dry_run": self.dry_run,
                "import_id": self.import_id}


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
    return hmac.digest(secret, f"{kind}:{normalised}".encode(), "sha256").hex()  # one-shot: a tenth of hmac.new's cost


def _batches(rows: list, size: int = BATCH) -> Iterable[list]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


class Importer:
    """Checks import files whole, then writes each as one recorded import that
    readers see whole or not at all (see the module's description).

    A members file also takes the network lock first and checks sponsors and
    loops against the forest as it is under that lock, like a sponsor move.
    Only new and changed records are written; the summary counts them, and a
    dry run reports it without writing.
    """

    def __init__(self, db: Database, identifier_secret: bytes):
        self.db = db
        self.identifier_secret = identifier_secret

    def _stored_ids(self, ids: set[str], query: str = "network/existing_ids") -> set[str]:
        found: set[str] = set()
        for batch in _batches(sorted(ids), 50_000):
            found.update(self.db.read(query, ids=batch)[0]["ids"])
        return found

    # -- import records ---------------------------------------------------------
    def _recorded(self, kind: str, write: Callable[[str], ImportSummary]) -> ImportSummary:
        """Run ``write(import_id)`` (check, then write) as a recorded import under its lease;
        ``write`` marks the record complete in its last transaction.  A refusal or failure
        is recorded with its reason and what was staged is removed; when Neo4j is gone,
        the next import does that."""
        import_id = str(uuid.uuid4())
        with self.db.lease({"graphsvc_import": import_id}, IMPORT_TIMEOUT_S):
            self.roll_back_interrupted()
            self.db.write("imports/create", id=import_id, kind=kind)
            try:
                return write(import_id)
            except DatabaseUnavailable:
                raise
            except Exception as exc:
                self._discard(import_id)
                status = "refused" if isinstance(exc, Invalid) else "failed"
                reason = str(exc) if isinstance(exc, Invalid) else f"{type(exc).__name__}: {exc}"
                self.db.write("imports/finish", id=import_id, status=status, rows=None, created=0, unchanged=0,
                              changed=0, error=reason[:500])
                raise

    def _discard(self, import_id: str) -> None:
        """Remove every row an unfinished import wrote, a batch per transaction."""
        while self.db.write("imports/discard_staged", id=import_id, limit=DISCARD_BATCH)[0]["deleted"]:
            pass

    def imports_page(self, limit: int, cursor: str | None) -> dict:
        """Import records newest first: ``limit`` of them after ``cursor``, and the next page's cursor."""
        return newest_first(self.db.read, "imports/page", limit, cursor)

    def roll_back_interrupted(self) -> list[str]:
        """Remove the staged rows of every import that stopped writing without
        finishing and mark it rolled back; returns their ids."""
        # Records first, leases second: a record seen here was leased before it was written.
        writing = self.db.read("imports/writing")[0]["ids"]
        live = set(self.db.read("imports/live")[0]["ids"]) if writing else set()
        interrupted = [i for i in writing if i not in live]
        for import_id in interrupted:
            self._discard(import_id)
            self.db.write("imports/roll_back", id=import_id, error=INTERRUPTED)
        return interrupted

    def _staged(self, summary: ImportSummary, stage: str, fresh: list[dict], update: str | None,
                changed: list[dict], progress: Progress | None, writers: int = 1) -> ImportSummary:
        """Write an orders or identifiers import (``summary.import_id``): ``fresh`` rows in
        committed batches tagged with it, then in one transaction the ``changed`` rows
        (with ``update``) and the mark that makes all of it visible."""
        if progress:
            progress(summary.unchanged)

        def stage_batch(batch: list[dict]) -> int:
            self.db.write(stage, timeout=IMPORT_TIMEOUT_S, rows=batch, import_id=summary.import_id)
            return len(batch)

        try:
            with ThreadPoolExecutor(max_workers=writers) as pool:
                for count in pool.map(stage_batch, _batches(fresh)):
                    if progress:
                        progress(count)
        except ConstraintViolation as exc:
            raise Conflict(f"another import stored some of these {summary.kind} while this one was writing; "
                           f"nothing of this file was stored, run it again ({exc})") from exc
        return self.db.write_tx(_publish, summary, update, changed, progress, timeout=IMPORT_TIMEOUT_S)

    def _imported(self, kind: str, write: Callable[[str | None], ImportSummary], dry_run: bool) -> ImportSummary:
        """``write(None)`` for a dry run, else ``write(import_id)`` as a recorded import."""
        return write(None) if dry_run else self._recorded(kind, write)

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
        def write(import_id: str | None) -> ImportSummary:
            run = self.db.write_tx if import_id else self.db.read_tx
            return run(self._members_tx, self._parse_members(stream), progress, on_total, import_id,
                       timeout=IMPORT_TIMEOUT_S)

        return self._imported("members", write, dry_run)

    def _members_tx(self, tx: Tx, parsed: _ParsedMembers, progress: Progress | None,
                    on_total: Callable[[int], None] | None, import_id: str | None) -> ImportSummary:
        """Check under the lock and write (or with no ``import_id``, a dry run: only count)."""
        if import_id:
            tx.run("network/lock")
        checked = self._check_forest(tx, parsed)
        rows, stored = checked.rows, checked.stored
        fresh = [r for r in rows if r["id"] not in stored]
        changed = [r for r in rows if r["id"] in stored and _member_changed(stored[r["id"]], r)]
        moved = [{"id": r["id"], "sponsor_id": r["sponsor_id"]} for r in changed
                 if stored[r["id"]].sponsor_id != r["sponsor_id"]]
        summary = ImportSummary("members", len(rows), len(fresh), len(rows) - len(fresh) - len(changed),
                                len(changed), tuple({"id": m["id"], "from": stored[m["id"]].sponsor_id,
                                                     "to": m["sponsor_id"]} for m in moved),
                                dry_run=import_id is None, import_id=import_id)
        if import_id is None:
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
        _finish(tx, summary)
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
        """Check an orders file (Invalid with every bad row) and write it as one import: new
        orders staged then published, changed ones updated as it publishes.  ``on_total``
        learns the rows, ``progress`` the rows done; ``dry_run`` only says what would change."""
        return self._imported("orders", lambda import_id: self._orders(stream, progress, on_total, import_id),
                              dry_run)

    def _orders(self, stream: TextIO, progress: Progress | None, on_total: Callable[[int], None] | None,
                import_id: str | None) -> ImportSummary:
        rows = self.check_orders(stream)
        if on_total:
            on_total(len(rows))
        stored: dict[str, tuple] = {}
        for batch in _batches(rows, 50_000):
            stored.update((o.id, o[1:]) for o in self.db.read_tx(
                lambda tx, ids: tx.table("network/stored_orders", _StoredOrder, ids=ids), [r["id"] for r in batch],
                timeout=IMPORT_TIMEOUT_S))
        fresh = [r for r in rows if r["id"] not in stored]
        changed = [r for r in rows if r["id"] in stored and stored[r["id"]] != _order_key(r)]
        summary = ImportSummary("orders", len(rows), len(fresh), len(rows) - len(fresh) - len(changed),
                                len(changed), dry_run=import_id is None, import_id=import_id)
        if import_id is None:
            return _counted(summary, progress)
        return self._staged(summary, "network/stage_orders", fresh, "network/upsert_orders", changed, progress,
                            writers=ORDER_WRITERS)

    def record_orders(self, orders: list[dict]) -> list[dict]:
        """Live orders (JSON objects with the orders file's columns): each checked by the
        import's rules (Invalid with every bad order, numbered from 1) and written as an
        import; the orders as stored (the same body again: the same answer).  An order
        stored before is left as it is when it is the same and a Conflict when it differs:
        a live order is never rewritten."""
        text = io.StringIO()
        writer = csv.DictWriter(text, fieldnames=ORDER_COLUMNS + ORDER_OPTIONAL, extrasaction="ignore")
        writer.writeheader()
        writer.writerows({k: "" if v is None else str(v) for k, v in order.items()} for order in orders)
        try:
            rows = self.check_orders(io.StringIO(text.getvalue()))
        except Invalid as exc:  # rows of the file are orders of the list: row 2 is order 1
            raise Invalid(str(exc).replace("row", "order"), {
                f"order {int(key.split()[1]) - 1}": messages for key, messages in exc.errors.items()}) from None
        stored = {o.id: o[1:] for o in self.db.read_tx(
            lambda tx, ids: tx.table("network/stored_orders", _StoredOrder, ids=ids), [r["id"] for r in rows])}
        differ = sorted(r["id"] for r in rows if r["id"] in stored and stored[r["id"]] != _order_key(r))
        if differ:
            raise Conflict(f"order(s) {', '.join(differ[:10])} exist with other fields; a live order is not rewritten",
                           {"orders": [f"{order_id} exists with other fields." for order_id in differ[:10]]})
        self.import_orders(io.StringIO(text.getvalue()))
        return [{k: r[k] for k in ORDER_COLUMNS} for r in rows]

    def refund_order(self, order_id: str, at: datetime | None = None) -> dict:
        """Mark an order refunded at ``at`` (default now; again: the same answer); NotFound
        for an unknown order."""
        rows = self.db.write("network/refund_order", id=order_id, at=(at or datetime.now(timezone.utc)).isoformat())
        if not rows:
            raise NotFound(f"order {order_id} does not exist")
        return rows[0]

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
        """Check an identifiers file (Invalid with every bad row) and, as one import, link each
        member to the keyed hash of each identifier it does not use yet.  ``on_total`` learns
        the links, ``progress`` the links done; a link is new or unchanged, never changed."""
        return self._imported("identifiers",
                              lambda import_id: self._identifiers(stream, progress, on_total, import_id), dry_run)

    def _identifiers(self, stream: TextIO, progress: Progress | None, on_total: Callable[[int], None] | None,
                     import_id: str | None) -> ImportSummary:
        links, row_count = self.check_identifiers(stream)
        if on_total:
            on_total(len(links))
        stored: set[tuple] = set()
        for batch in _batches(links, 50_000):
            stored.update(map(tuple, self.db.read("network/stored_links", timeout=IMPORT_TIMEOUT_S,
                                                  rows=batch)[0]["links"]))
        fresh = [link for link in links if (link["member_id"], link["kind"], link["hash"]) not in stored]
        summary = ImportSummary("identifiers", row_count, len(fresh), len(links) - len(fresh), 0,
                                dry_run=import_id is None, import_id=import_id)
        if import_id is None:
            return _counted(summary, progress)
        return self._staged(summary, "network/stage_identifiers", fresh, None, [], progress)


def _counted(summary: ImportSummary, progress: Progress | None) -> ImportSummary:
    """A dry run's summary, every row reported done."""
    if progress:
        progress(summary.created + summary.unchanged + summary.changed)
    return summary


def _publish(tx: Tx, summary: ImportSummary, update: str | None, changed: list[dict],
             progress: Progress | None) -> ImportSummary:
    """The last transaction of an orders or identifiers import (see :meth:`Importer._staged`)."""
    if update:
        _write(tx, update, changed, progress)
    _finish(tx, summary)
    return summary


def _finish(tx: Tx, summary: ImportSummary) -> None:
    """Mark the import complete with its counts, in the transaction that makes it visible."""
    tx.run("imports/finish", id=summary.import_id, status="complete", rows=summary.rows, created=summary.created,
           unchanged=summary.unchanged, changed=summary.changed, error=None)


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
