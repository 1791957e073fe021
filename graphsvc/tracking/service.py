"""Referral codes, clicks on referral links, and live signups attributed to a sponsor.

A member shares a code (each member has a default one and may have more, per
campaign and channel); a friend's clicks are stored with the visitor, address
and user agent as keyed hashes only; the friend signs up, and the signup is
attributed in this order: an explicit sponsor, a code, the visitor's clicks
inside the attribution window (the last or the first, a programme setting),
otherwise no sponsor.  The REFERRED edge keeps how (via, code, campaign,
channel), and the member is added under the network lock like a sponsor move.
"""

from __future__ import annotations

import csv
import hashlib
import itertools
import json
import secrets
from datetime import datetime, timedelta, timezone
from typing import Callable, TextIO

from ..analysis_runs.kinds import RINGS, serving_kinds
from ..analysis_runs.service import HIGH_RISK_SCORE
from ..db import ConstraintViolation, Database, Tx
from ..domain import (APPROVED, BOT_AGENT_MARKERS, CODE_ALPHABET, COUNTRIES, HELD, HOLD_UPLINE_LEVELS,
                      IDENTIFIER_KINDS, MAX_EVENTS_PER_BATCH, MEMBER_ID, MEMBER_STATUSES, REFERRAL_CODE, REJECTED,
                      STRONG_IDENTIFIER_KINDS, VIA_CLICK, VIA_CODE, VIA_SPONSOR)
from ..errors import Conflict, Invalid, NotFound
from ..network.importer import hash_identifier, normalise_identifier
from ..network.service import NetworkService
from ..money import format_minor
from ..paging import decode_cursor, encode_cursor
from ..periods import parse_instant, parse_period
from ..settings import Settings

__all__ = ["TrackingService"]

CODE_LENGTH = 8
CLICK_COLUMNS = ("code", "visitor_id", "at", "ip", "user_agent", "landing_page")
CODE_COLUMNS = ("member_id", "code", "campaign", "channel", "is_default")
# Clicks later than this past now are refused (clocks drift; a day is generous).
FUTURE_SLACK = timedelta(days=1)


def _code_key(code: str) -> str:
    """Codes are matched without case."""
    return code.lower()


def is_bot(user_agent: str | None) -> bool:
    """Whether a user agent is a crawler, link preview or script.

    >>> is_bot("Mozilla/5.0 (compatible; Googlebot/2.1)"), is_bot("Mozilla/5.0 (iPhone)"), is_bot(None)
    (True, False, False)
    """
    agent = (user_agent or "").lower()
    return any(marker in agent for marker in BOT_AGENT_MARKERS)


def _csv_batches(stream: TextIO, required: tuple[str, ...], columns: tuple[str, ...]):
    """A CSV file's rows (the known columns, empty values as None) MAX_EVENTS_PER_BATCH at
    a time, each batch with the line number of its first row; Invalid when the header
    lacks a required column."""
    reader = csv.DictReader(stream)
    missing = set(required) - set(reader.fieldnames or [])
    if missing:
        raise Invalid(f"the file lacks columns: {', '.join(sorted(missing))}",
                      {"columns": [f"Missing: {', '.join(sorted(missing))}."]})
    rows = ({k: v or None for k, v in row.items() if k in columns} for row in reader)
    for first in itertools.count(2, MAX_EVENTS_PER_BATCH):
        batch = list(itertools.islice(rows, MAX_EVENTS_PER_BATCH))
        if not batch:
            return
        yield first, batch


class TrackingService:
    """Referral codes, click events and live signups."""

    def __init__(self, db: Database, network: NetworkService, settings: Settings):
        self.db = db
        self.network = network
        self.secret = settings.identifier_secret
        self.window = timedelta(days=settings.attribution_window_days)
        self.first_touch = settings.attribution_touch == "first"
        self.programme_start = parse_instant(settings.programme_start, "GRAPHSVC_PROGRAMME_START")
        self.velocity = settings.referral_velocity

    # -- codes --------------------------------------------------------------------
    def codes(self, member_id: str) -> list[dict]:
        """A member's codes, the default first (created on first ask); NotFound for an
        unknown member."""
        codes = self.db.read("tracking/member_codes", member_id=member_id)
        if not any(c["is_default"] for c in codes):
            self._create(member_id, None, None, is_default=True)
            codes = self.db.read("tracking/member_codes", member_id=member_id)
        return codes

    def create_code(self, member_id: str, campaign: str | None, channel: str | None) -> dict:
        """A new code of the member for a campaign and channel, drawn at random (never
        derived from the member's id); NotFound for an unknown member."""
        self.codes(member_id)  # the default comes first
        return self._create(member_id, campaign, channel, is_default=False)

    def _create(self, member_id: str, campaign: str | None, channel: str | None, is_default: bool) -> dict | None:
        for _ in range(5):  # a clash of random codes is rare; draw again
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            try:
                rows = self.db.write("tracking/create_code", member_id=member_id, code=code, campaign=campaign,
                                     channel=channel, is_default=is_default)
            except ConstraintViolation:
                continue
            if not rows and not self.db.read("network/member_exists", id=member_id):
                raise NotFound(f"member {member_id} does not exist")
            return rows[0] if rows else None
        raise Conflict("could not draw an unused referral code; retry")

    def set_code_disabled(self, code: str, disabled: bool) -> dict:
        """Disable a code (or enable it again); NotFound for an unknown code."""
        rows = self.db.write("tracking/set_code_disabled", code=_code_key(code), disabled=disabled)
        if not rows:
            raise NotFound(f"referral code {code} does not exist")
        return rows[0]

    # -- clicks ---------------------------------------------------------------------
    def record_clicks(self, clicks: list[dict]) -> dict:
        """Store a batch of clicks: the valid ones, and for the others their index and
        reasons.  Bots are stored as such and never counted."""
        if len(clicks) > MAX_EVENTS_PER_BATCH:
            raise Invalid(f"at most {MAX_EVENTS_PER_BATCH} clicks per batch",
                          {"clicks": [f"At most {MAX_EVENTS_PER_BATCH}."]})
        stored = {c["code"]: c for c in self.db.read("tracking/codes", codes=sorted(
            {_code_key(k["code"]) for k in clicks if isinstance(k.get("code"), str)}))}
        rows, refused = [], []
        now = datetime.now(timezone.utc)
        for index, click in enumerate(clicks):
            try:
                rows.append(self.click_row(click, stored, now))
            except Invalid as exc:
                refused.append({"index": index, "errors": exc.errors})
        self.db.write("tracking/write_clicks", clicks=rows)
        return {"stored": len(rows), "bots": sum(r["bot"] for r in rows), "refused": refused}

    def import_clicks(self, stream: TextIO, progress: Callable[[int], None] | None = None) -> dict:
        """Clicks from CSV (code, visitor_id, at, and optionally ip, user_agent,
        landing_page), stored MAX_EVENTS_PER_BATCH at a time like the batch endpoint: the
        valid rows are stored, the others listed by line with their reasons."""
        stored = bots = 0
        refused: list[dict] = []
        for first, batch in _csv_batches(stream, ("code", "visitor_id", "at"), CLICK_COLUMNS):
            done = self.record_clicks(batch)
            stored, bots = stored + done["stored"], bots + done["bots"]
            refused += [{"line": first + r["index"], "errors": r["errors"]} for r in done["refused"]]
            if progress:
                progress(len(batch))
        return {"stored": stored, "bots": bots, "refused": refused}

    def import_codes(self, stream: TextIO, progress: Callable[[int], None] | None = None) -> dict:
        """Referral codes from CSV (member_id, code, and optionally campaign, channel,
        is_default), as when moving from another referral platform: the valid rows are
        stored, a code stored already with the same fields is left as it is, and the
        others are listed by line with their reasons."""
        created = unchanged = 0
        refused: list[dict] = []
        for first, batch in _csv_batches(stream, ("member_id", "code"), CODE_COLUMNS):
            keys = [_code_key(r["code"]) for r in batch if isinstance(r.get("code"), str)]
            state = self.db.read("tracking/code_import_state", codes=keys,
                                 member_ids=[r["member_id"] for r in batch if r.get("member_id")])[0]
            stored = {c["code"]: c for c in state["codes"]}
            defaults = {d["member_id"]: d["code"] for d in state["defaults"]}
            members, rows = set(state["members"]), []
            for index, raw in enumerate(batch):
                row, errors = self._code_row(raw, members)
                if row and row["code"] in stored:
                    if {k: stored[row["code"]][k] for k in row} == row:
                        unchanged += 1
                        continue
                    errors["code"] = ["The code is taken (by another member, or with other fields)."]
                elif row and row["is_default"] and defaults.get(row["member_id"], row["code"]) != row["code"]:
                    errors["is_default"] = ["The member has another default code."]
                if errors:
                    refused.append({"line": first + index, "errors": errors})
                    continue
                stored[row["code"]] = row
                if row["is_default"]:
                    defaults[row["member_id"]] = row["code"]
                rows.append(row)
            self.db.write("tracking/import_codes", rows=rows)
            created += len(rows)
            if progress:
                progress(len(batch))
        return {"created": created, "unchanged": unchanged, "refused": refused}

    @staticmethod
    def _code_row(raw: dict, members: set[str]) -> tuple[dict | None, dict[str, list[str]]]:
        errors: dict[str, list[str]] = {}
        if raw.get("member_id") not in members:
            errors["member_id"] = ["No such member."]
        if not REFERRAL_CODE.match(raw.get("code") or ""):
            errors["code"] = ["4 to 32 letters, digits, - or _."]
        for name in ("campaign", "channel"):
            if raw.get(name) is not None and len(raw[name]) > 100:
                errors[name] = ["At most 100 characters."]
        if (raw.get("is_default") or "false").lower() not in ("true", "false"):
            errors["is_default"] = ["true or false."]
        if errors:
            return None, errors
        return {"code": _code_key(raw["code"]), "member_id": raw["member_id"], "campaign": raw.get("campaign"),
                "channel": raw.get("channel"), "is_default": (raw.get("is_default") or "").lower() == "true"}, errors

    def click_row(self, click: dict, stored: dict, now: datetime) -> dict:
        """A click as it is stored: checked (Invalid with field errors), its code looked up
        in ``stored`` (code -> code record), visitor, address and agent hashed."""
        errors: dict[str, list[str]] = {}
        for name, limit in (("code", 64), ("visitor_id", 200), ("ip", 100), ("user_agent", 1000),
                            ("landing_page", 2000)):
            value = click.get(name)
            if (value is None and name in ("code", "visitor_id")) or (value is not None and (
                    not isinstance(value, str) or not 0 < len(value) <= limit)):
                errors[name] = [f"A string of 1 to {limit} characters."]
        code = stored.get(_code_key(click["code"])) if "code" not in errors else None
        if "code" not in errors and code is None:
            errors["code"] = ["No such referral code."]
        elif code is not None and code["disabled"]:
            errors["code"] = ["The referral code is disabled."]
        at = None
        try:
            at = self._event_time(click.get("at"), "at", now)
        except Invalid as exc:
            errors.update(exc.errors)
        if errors:
            raise Invalid("the click is not valid", errors)
        return {"code": code["code"], "member_id": code["member_id"], "campaign": code["campaign"],
                "channel": code["channel"], "visitor_hash": self._hash("visitor", click["visitor_id"]),
                "ip_hash": self._hash("ip", click.get("ip")), "agent_hash": self._hash("agent", click.get("user_agent")),
                "bot": is_bot(click.get("user_agent")), "at": at.isoformat(), "landing_page": click.get("landing_page")}

    def _event_time(self, value, field: str, now: datetime) -> datetime:
        if not isinstance(value, str):
            raise Invalid(f"{field} is missing", {field: ["A zoned ISO-8601 time."]})
        at = parse_instant(value, field)
        if at > now + FUTURE_SLACK:
            raise Invalid(f"{field} is in the future", {field: ["Not later than a day from now."]})
        if at < self.programme_start:
            raise Invalid(f"{field} is before the programme started",
                          {field: [f"Not before {self.programme_start.isoformat()}."]})
        return at

    def _hash(self, kind: str, value: str | None) -> str | None:
        return hash_identifier(self.secret, kind, value.strip()) if value else None

    # -- statistics -----------------------------------------------------------------
    def referral_stats(self, member_id: str, start, end) -> dict:
        """A member's referral figures over [start, end) (see cypher/tracking/referral_stats):
        clicks and unique visitors, signups (approved or imported, and held), of those
        by a click, friends who bought, the sales of their friends and their earnings
        per currency, and the visitor-to-signup and signup-to-buyer rates (null with
        nothing to divide by).  NotFound for an unknown member."""
        start, end = parse_period(start, end)
        rows = self.db.read("tracking/referral_stats", member_id=member_id, **{"from": start, "to": end})
        if not rows:
            raise NotFound(f"member {member_id} does not exist")
        r = rows[0]
        money = lambda items: [{"currency": i["currency"], "amount": format_minor(i["amount"], i["currency"])}  # noqa: E731
                               for i in items]
        return {"member_id": member_id, "from": start.isoformat(), "to": end.isoformat(),
                "clicks": r["clicks"], "unique_visitors": r["visitors"],
                "signups": {"approved": r["signups"] - r["held"], "held": r["held"], "by_click": r["by_click"]},
                "friends_who_bought": r["buyers"],
                "visitor_to_signup": r["by_click"] / r["visitors"] if r["visitors"] else None,
                "signup_to_buyer": r["buyers"] / r["signups"] if r["signups"] else None,
                "friends_sales": money(r["sales"]), "earnings": money(r["earnings"])}

    # -- signups --------------------------------------------------------------------
    def signup(self, body: dict) -> tuple[dict, bool]:
        """Create a member from a live signup, attributed to a sponsor (see the module);
        the member and how it was attributed, and whether it was created now.  The same
        body again gives the same answer; another body for the same id is a Conflict."""
        errors: dict[str, list[str]] = {}
        if not isinstance(body.get("id"), str) or not MEMBER_ID.match(body["id"]):
            errors["id"] = ["A member id (letters, digits, - and _)."]
        if body.get("status") not in MEMBER_STATUSES:
            errors["status"] = [f"One of {', '.join(MEMBER_STATUSES)}."]
        if body.get("country") not in COUNTRIES:
            errors["country"] = ["An ISO 3166-1 alpha-2 code."]
        for name in ("sponsor_id", "code", "visitor_id", "ip"):
            if body.get(name) is not None and not isinstance(body[name], str):
                errors[name] = ["A string."]
        try:
            joined = self._event_time(body.get("joined_at"), "joined_at", datetime.now(timezone.utc))
        except Invalid as exc:
            errors.update(exc.errors)
        identifiers = []
        for i, given in enumerate(body.get("identifiers") or []):
            try:
                if given.get("kind") not in IDENTIFIER_KINDS or not isinstance(given.get("value"), str):
                    raise ValueError(f"a kind ({', '.join(IDENTIFIER_KINDS)}) and a value")
                identifiers.append({"kind": given["kind"], "hash": hash_identifier(
                    self.secret, given["kind"], normalise_identifier(given["kind"], given["value"]))})
            except (ValueError, AttributeError) as exc:
                errors[f"identifiers {i}"] = [f"Not an identifier: {exc}."]
        if errors:
            raise Invalid("the signup is not valid", errors)
        # The body as stored to tell a repeat: identifiers as their keyed hashes only.
        keyed = {**body, "identifiers": identifiers}
        key = hashlib.sha256(json.dumps(keyed, sort_keys=True, default=str).encode()).hexdigest()
        return self.db.write_tx(self._signup, body, joined, key, identifiers)

    def import_signups(self, stream: TextIO, progress: Callable[[int], None] | None = None) -> dict:
        """Live signups from JSON lines (one POST /members body a line), each attributed
        and checked as it arrives, in file order: created, unchanged (the same body
        again), held, and the refused ones by line with their reasons."""
        counts = {"created": 0, "unchanged": 0, "held": 0}
        refused: list[dict] = []
        for line, text in enumerate(stream, start=1):
            if not text.strip():
                continue
            try:
                body = json.loads(text)
                if not isinstance(body, dict):
                    raise Invalid("not a JSON object", {"line": ["A JSON object."]})
                member, created = self.signup(body)
            except json.JSONDecodeError as exc:
                refused.append({"line": line, "errors": {"line": [f"Not JSON: {exc.msg}."]}})
            except (Invalid, Conflict, NotFound) as exc:
                refused.append({"line": line, "errors": exc.errors or {"signup": [str(exc)]}})
            else:
                counts["created" if created else "unchanged"] += 1
                counts["held"] += created and member["attribution"]["status"] == HELD
            if progress:
                progress(1)
        return counts | {"refused": refused}

    def _signup(self, tx: Tx, body: dict, joined: datetime, key: str, identifiers: list[dict]) -> tuple[dict, bool]:
        existing = tx.run("tracking/begin_signup", id=body["id"])  # takes the network lock
        if existing:
            if existing[0]["signup_key"] != key:
                raise Conflict(f"member {body['id']} exists (created otherwise or by another signup body)",
                               {"id": ["A member with this id exists."]})
            stored = existing[0]
            return self._answer(self.network.shown(stored | {"status": stored["member_status"]}), stored, None), False
        referral, note = self._attribute(tx, body, joined)
        ip_hash = self._hash("ip", body.get("ip"))
        sponsor = None
        if referral:
            sponsor = tx.run("tracking/referral_checks", sponsor_id=referral.pop("sponsor_id"), at=joined.isoformat(),
                             identifiers=[i for i in identifiers if i["kind"] in STRONG_IDENTIFIER_KINDS],
                             upline_levels=HOLD_UPLINE_LEVELS, kinds=serving_kinds(RINGS), high_risk=HIGH_RISK_SCORE,
                             velocity=self.velocity, ip_hash=ip_hash)[0]
            referral |= {"status": HELD if sponsor["reasons"] else APPROVED, "reasons": sponsor["reasons"]}
        member = {"id": body["id"], "joined_at": joined.isoformat(), "status": body["status"],
                  "country": body["country"], "signup_key": key, "signup_ip_hash": ip_hash,
                  "visitor_hash": self._hash("visitor", body.get("visitor_id"))}
        joined_member = self.network.join(tx, member, sponsor, referral)
        if identifiers:
            tx.run("network/stage_identifiers", import_id=None,
                   rows=[{"member_id": body["id"], **i} for i in identifiers])
        return self._answer(joined_member, {"code": None, "campaign": None, "channel": None, "via": None,
                                            "status": None, "reasons": []} | referral, note), True

    def _attribute(self, tx: Tx, body: dict, joined: datetime) -> tuple[dict, str | None]:
        """(sponsor_id, via, code, campaign, channel) or {}, and why a code given did not count."""
        if body.get("sponsor_id"):
            if not tx.run("network/member_exists", id=body["sponsor_id"]):
                raise Invalid("the sponsor does not exist", {"sponsor_id": ["No such member."]})
            return {"sponsor_id": body["sponsor_id"], "via": VIA_SPONSOR}, None
        note = None
        if body.get("code"):
            codes = tx.run("tracking/codes", codes=[_code_key(body["code"])])
            if not codes:
                note = "unknown referral code"
            elif codes[0]["disabled"]:
                note = "referral code disabled"
            else:
                code = codes[0]
                return {"sponsor_id": code["member_id"], "via": VIA_CODE, "code": code["code"],
                        "campaign": code["campaign"], "channel": code["channel"]}, None
        if body.get("visitor_id"):
            clicks = tx.run("tracking/attributing_click", visitor_hash=self._hash("visitor", body["visitor_id"]),
                            at=joined.isoformat(), window_s=int(self.window.total_seconds()),
                            first_touch=self.first_touch)
            if clicks:
                click = clicks[0]
                return {"sponsor_id": click["member_id"], "via": VIA_CLICK, "code": click["code"],
                        "campaign": click["campaign"], "channel": click["channel"]}, note
        return {}, note

    @staticmethod
    def _answer(member: dict, stored: dict, note: str | None) -> dict:
        return {**member, "attribution": {"via": stored["via"], "code": stored["code"], "campaign": stored["campaign"],
                                          "channel": stored["channel"], "note": note, "status": stored["status"],
                                          "reasons": stored["reasons"]}}

    # -- held referrals ---------------------------------------------------------------
    def referrals(self, status: str, limit: int, cursor: str | None) -> dict:
        """Referrals in one status by member id, ``limit`` after ``cursor``."""
        after = decode_cursor(cursor, ("member_id",))["member_id"] if cursor else ""
        rows = self.db.read("tracking/referrals_page", status=status, after=after, limit=limit + 1)
        items = rows[:limit]
        return {"items": items,
                "next_cursor": encode_cursor({"member_id": items[-1]["member_id"]}) if len(rows) > limit else None}

    def approve(self, member_id: str) -> dict:
        """Approve a held referral (an approved one: the same answer); Conflict when it
        was rejected or is not a live signup's."""
        referral = self._referral(member_id, APPROVED)
        if referral["status"] == APPROVED:
            return referral
        return self.db.write("tracking/set_referral_status", member_id=member_id, status=APPROVED,
                             reasons=referral["reasons"], held_sponsor_id=None)[0]

    def reject(self, member_id: str) -> dict:
        """Reject a held referral (a rejected one: the same answer): the member, with any
        downline, moves under the held sponsor's own sponsor by the sponsor-move rules;
        Conflict when it was approved, or the sponsor has no sponsor to fall back to."""
        referral = self._referral(member_id, REJECTED)
        if referral["status"] == REJECTED:
            return referral
        if not referral["fallback_id"]:
            raise Conflict(f"{referral['sponsor_id']} has no sponsor to move {member_id} to; approve the referral "
                           "or move the member yourself")
        self.network.change_sponsor(member_id, referral["fallback_id"])
        return self.db.write("tracking/set_referral_status", member_id=member_id, status=REJECTED,
                             reasons=referral["reasons"], held_sponsor_id=referral["sponsor_id"])[0]

    def _referral(self, member_id: str, decision: str) -> dict:
        """The member's referral, when it is held or already has this decision."""
        rows = self.db.read("tracking/referral", member_id=member_id)
        if not rows:
            raise NotFound(f"member {member_id} has no referral")
        if rows[0]["status"] not in (HELD, decision):
            raise Conflict(f"the referral of {member_id} is not held (it is {rows[0]['status'] or 'imported'})")
        return rows[0]
