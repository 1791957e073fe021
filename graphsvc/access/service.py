"""API keys, roles and member scope, and the audit trail of writes."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass

from ..db import Database
from ..domain import ADMIN_ROLE, APP_ROLE, ROLES
from ..errors import Invalid, NotFound
from ..paging import newest_first

__all__ = ["Principal", "AccessService", "Unauthenticated", "CLI_PRINCIPAL"]

_PREFIX = "gsk"


class Unauthenticated(Exception):
    """No key, a malformed key, or a key that is unknown or revoked."""


@dataclass(frozen=True)
class Principal:
    """Who makes a request: the key's public id, its role and its member scope."""

    key_id: str
    role: str
    member_id: str | None = None


CLI_PRINCIPAL = Principal(key_id="cli", role=ADMIN_ROLE)


def _hash(secret: str) -> str:
    # Secrets are 256 random bits: a plain digest is enough, no slow KDF needed.
    return hashlib.sha256(secret.encode()).hexdigest()


class AccessService:
    """API keys (create, list, revoke, authenticate), member scope, idempotent replays and the audit trail."""

    # Keys are cached briefly in each process: a revocation made in another
    # process takes effect within this many seconds (at once in this one).
    KEY_CACHE_S = 1.0

    def __init__(self, db: Database):
        self.db = db
        self._keys: dict[str, tuple[float, dict | None]] = {}

    # -- keys ---------------------------------------------------------------
    def create_key(self, role: str, member_id: str | None = None) -> tuple[str, dict]:
        """A new key: the full key text (shown once) and its stored record."""
        if role not in ROLES:
            raise Invalid(f"unknown role {role!r}", {"role": [f"One of {', '.join(ROLES)}."]})
        if member_id is not None:
            if role != APP_ROLE:
                raise Invalid("only app keys can be scoped to a member", {"member": ["Only with --role app."]})
            if not self.db.read("network/member_exists", id=member_id):
                raise NotFound(f"member {member_id} does not exist")
        key_id = secrets.token_hex(6)
        secret = secrets.token_urlsafe(32)
        record = self.db.write("access/create_key", id=key_id, hash=_hash(secret),
                               role=role, member_id=member_id)[0]
        return f"{_PREFIX}_{key_id}_{secret}", record

    def list_keys(self) -> list[dict]:
        """Every key's record (id, role, member scope, created and revoked times); never a secret."""
        return self.db.read("access/list_keys")

    def revoke_key(self, key_id: str) -> None:
        """Revoke a key by its public id (at once in this process); NotFound when there is none."""
        if not self.db.write("access/revoke_key", id=key_id):
            raise NotFound(f"key {key_id} does not exist")
        self._keys.pop(key_id, None)

    @staticmethod
    def _parts(authorization: str | None) -> tuple[str, str] | None:
        scheme, _, key = (authorization or "").partition(" ")
        parts = key.strip().split("_", 2)
        if scheme.lower() != "bearer" or len(parts) != 3 or parts[0] != _PREFIX:
            return None
        return parts[1], parts[2]

    def authenticate(self, authorization: str | None) -> Principal:
        """The principal of a well-formed, known, unrevoked bearer key; else Unauthenticated."""
        parts = self._parts(authorization)
        if parts is None:
            raise Unauthenticated("a bearer API key is required")
        key_id, secret = parts
        row = self._key(key_id)
        if row is None or not hmac.compare_digest(row["hash"], _hash(secret)):
            raise Unauthenticated("the API key is unknown or revoked")
        return Principal(key_id=row["id"], role=row["role"], member_id=row["member_id"])

    def principal_of(self, key_id: str) -> Principal:
        """The principal of a key known by its id alone (a signed dashboard session holds
        it); Unauthenticated once the key is revoked."""
        row = self._key(key_id)
        if row is None:
            raise Unauthenticated("the session's API key is revoked; sign in again")
        return Principal(key_id=row["id"], role=row["role"], member_id=row["member_id"])

    def _key(self, key_id: str) -> dict | None:
        now = time.monotonic()
        cached = self._keys.get(key_id)
        if cached is None or now - cached[0] > self.KEY_CACHE_S:
            if len(self._keys) > 10_000:
                self._keys.clear()
            rows = self.db.read("access/key_by_id", id=key_id)
            cached = self._keys[key_id] = (now, rows[0] if rows else None)
        return cached[1]

    def in_scope(self, principal: Principal, member_id: str) -> bool:
        """Whether a member-scoped key may see this member (itself or its downline)."""
        if principal.member_id is None:
            return True
        rows = self.db.read("access/member_in_scope", scope_id=principal.member_id, target_id=member_id)
        return bool(rows and rows[0]["inside"])

    # -- idempotency ----------------------------------------------------------
    KEEP_HOURS = 48

    def replay(self, principal: Principal, key: str, body: bytes) -> dict | None:
        """The stored response for this Idempotency-Key (scoped by the caller to method
        and path) and body; Invalid when the body differs."""
        rows = self.db.read("access/idempotency_get", scope=principal.key_id, key=key,
                            keep_hours=self.KEEP_HOURS)
        if not rows:
            return None
        if rows[0]["body_hash"] != hashlib.sha256(body).hexdigest():
            raise Invalid("this Idempotency-Key was used with a different request body",
                          {"Idempotency-Key": ["Reused with a different body."]})
        return rows[0]

    def remember(self, principal: Principal, key: str, body: bytes, status: int,
                 response_body: str, mimetype: str) -> None:
        """Store the response to a POST under its Idempotency-Key, for replay within KEEP_HOURS."""
        self.db.write("access/idempotency_put", scope=principal.key_id, key=key,
                      body_hash=hashlib.sha256(body).hexdigest(), status=status,
                      body=response_body, mimetype=mimetype)

    # -- audit ----------------------------------------------------------------
    def audit(self, principal: Principal, action: str, target: str, outcome: str,
              detail: dict | None = None) -> None:
        """Record who did what to which target, with the outcome and details, in the audit trail."""
        self.db.write("audit/record", key_id=principal.key_id, role=principal.role,
                      action=action, target=target, outcome=outcome,
                      detail=json.dumps(detail or {}, sort_keys=True))

    def audit_page(self, limit: int, cursor: str | None) -> dict:
        """Audit events newest first: ``limit`` of them after ``cursor``, and the next page's cursor."""
        page = newest_first(self.db.read, "audit/page", limit, cursor)
        for item in page["items"]:
            item["detail"] = json.loads(item["detail"] or "{}")
        return page
