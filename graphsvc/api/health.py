"""Process liveness, database readiness and metrics, outside /api/v1."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from .. import metrics, schema
from ..db import DatabaseUnavailable
from .context import current_services

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """200 while the process serves requests (liveness)."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    """200 when Neo4j answers and every constraint and index is online, else 503 saying which."""
    db = current_services().db
    try:
        db.ping()
        missing = schema.missing(db)
    except DatabaseUnavailable:
        return jsonify(status="unavailable", neo4j="unreachable"), 503
    if missing:
        return jsonify(status="unavailable", neo4j="reachable", schema_missing=missing), 503
    return jsonify(status="ready", neo4j="reachable", schema="applied")


@bp.get("/metrics")
def prometheus_metrics():
    """The Prometheus exposition of this process (all workers' with a multiprocess directory)."""
    return metrics.exposition(current_app.config["GRAPHSVC_SETTINGS"])
