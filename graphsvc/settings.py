"""Configuration, read from the environment in this one place.

Every other module receives a :class:`Settings`; none reads ``os.environ``.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from .domain import ATTRIBUTION_TOUCHES

__all__ = ["Settings", "load", "PRIVATE_UMASK", "make_private"]

# What the local setup writes under var/ (the Neo4j store with identifier and key
# hashes and the audit trail, secrets, logs) is readable by its owner only.
PRIVATE_UMASK = 0o077


@dataclass(frozen=True)
class Settings:
    """Every setting of the process, read once from the environment by :func:`load`."""

    var_dir: Path
    # Where the Maven-fetched Neo4j jars live; shared by the dev and test servers.
    neo4j_dist_dir: Path
    neo4j_uri: str
    neo4j_user: str
    neo4j_password: str
    neo4j_database: str
    # True when NEO4J_URI names an outside server: nothing is started locally.
    external_neo4j: bool
    neo4j_bolt_port: int
    neo4j_heap: str
    neo4j_pagecache: str
    query_timeout_s: float
    # How long the driver keeps retrying a transaction on transient errors.
    tx_retry_s: float
    identifier_secret: bytes
    # Signs the dashboard's session cookies.
    session_secret: bytes
    session_hours: int
    max_body_bytes: int
    rate_limit: str
    rate_limit_storage: str
    metrics_dir: Path | None
    log_level: str
    gunicorn_workers: int
    gunicorn_threads: int
    bind: str
    # Set by graphsvc serve for gunicorn behind its nginx: the client's address is in X-Forwarded-For.
    behind_proxy: bool
    # "nginx": graphsvc serve puts nginx in front of gunicorn; "none": gunicorn alone (behind your own proxy).
    proxy: str
    reporting_currency: str
    # Referral attribution: how far back a visitor's clicks count, which one counts
    # ("last" or "first" touch), and the programme's start (earlier events are refused).
    attribution_window_days: int
    attribution_touch: str
    programme_start: str
    # A sponsor with more referrals than this within an hour has the next ones held.
    referral_velocity: int


def _read_or_create_secret(path: Path, nbytes: int) -> str:
    """A development secret kept under var/ so restarts keep using it."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    value = secrets.token_urlsafe(nbytes)
    path.write_text(value + "\n")
    path.chmod(0o600)
    return value


def make_private(root: Path) -> None:
    """Take group and other access away from everything under ``root`` (folders
    0700, files 0600 or 0700 when executable); links are left alone."""
    for path in [root, *root.rglob("*")] if root.exists() else []:
        if path.is_symlink():
            continue
        mode = path.stat().st_mode
        path.chmod((mode & 0o700) | (0o700 if path.is_dir() else 0))


def _one_of(value: str, allowed: tuple[str, ...], name: str) -> str:
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
    return value


def load(environ: os._Environ | dict | None = None) -> Settings:
    """Build settings from the environment (or the mapping given, for tests)."""
    env = os.environ if environ is None else environ
    var_dir = Path(env.get("GRAPHSVC_VAR_DIR", "var")).resolve()
    external = bool(env.get("NEO4J_URI"))
    bolt_port = int(env.get("NEO4J_BOLT_PORT", "7687"))
    if external:
        uri = env["NEO4J_URI"]
        password = env.get("NEO4J_PASSWORD", "")
    else:
        uri = f"bolt://127.0.0.1:{bolt_port}"
        password = env.get("NEO4J_PASSWORD") or _read_or_create_secret(
            var_dir / "neo4j" / "password", 18
        )
    identifier_secret = env.get("GRAPHSVC_IDENTIFIER_SECRET") or _read_or_create_secret(
        var_dir / "identifier-secret", 32
    )
    session_secret = env.get("GRAPHSVC_SESSION_SECRET") or _read_or_create_secret(var_dir / "session-secret", 32)
    metrics_dir = env.get("PROMETHEUS_MULTIPROC_DIR")
    return Settings(
        var_dir=var_dir,
        neo4j_dist_dir=Path(env.get("GRAPHSVC_NEO4J_DIST", "var/neo4j-dist")).resolve(),
        neo4j_uri=uri,
        neo4j_user=env.get("NEO4J_USER", "neo4j"),
        neo4j_password=password,
        neo4j_database=env.get("NEO4J_DATABASE", "neo4j"),
        external_neo4j=external,
        neo4j_bolt_port=bolt_port,
        neo4j_heap=env.get("NEO4J_HEAP", "1g"),
        neo4j_pagecache=env.get("NEO4J_PAGECACHE", "1g"),
        query_timeout_s=float(env.get("GRAPHSVC_QUERY_TIMEOUT_S", "30")),
        tx_retry_s=float(env.get("GRAPHSVC_TX_RETRY_S", "3")),
        identifier_secret=identifier_secret.encode(),
        session_secret=session_secret.encode(),
        session_hours=int(env.get("GRAPHSVC_SESSION_HOURS", "8")),
        max_body_bytes=int(env.get("GRAPHSVC_MAX_BODY_BYTES", str(64 * 1024 * 1024))),
        rate_limit=env.get("GRAPHSVC_RATE_LIMIT", "6000 per minute"),
        rate_limit_storage=env.get("GRAPHSVC_RATE_LIMIT_STORAGE", "memory://"),
        metrics_dir=Path(metrics_dir) if metrics_dir else None,
        log_level=env.get("GRAPHSVC_LOG_LEVEL", "INFO"),
        gunicorn_workers=int(env.get("GRAPHSVC_WORKERS", "2")),
        gunicorn_threads=int(env.get("GRAPHSVC_THREADS", "2")),
        bind=env.get("GRAPHSVC_BIND", "127.0.0.1:8000"),
        behind_proxy=env.get("GRAPHSVC_BEHIND_PROXY") == "1",
        proxy=env.get("GRAPHSVC_PROXY", "nginx"),
        reporting_currency=env.get("GRAPHSVC_REPORTING_CURRENCY", "USD").upper(),
        attribution_window_days=int(env.get("GRAPHSVC_ATTRIBUTION_WINDOW_DAYS", "30")),
        attribution_touch=_one_of(env.get("GRAPHSVC_ATTRIBUTION_TOUCH", "last"), ATTRIBUTION_TOUCHES,
                                  "GRAPHSVC_ATTRIBUTION_TOUCH"),
        programme_start=env.get("GRAPHSVC_PROGRAMME_START", "2000-01-01"),
        referral_velocity=int(env.get("GRAPHSVC_REFERRAL_VELOCITY", "5")),
    )
