"""Prometheus metrics, correct under several gunicorn workers.

With ``PROMETHEUS_MULTIPROC_DIR`` set (the gunicorn config sets it) each
worker writes its samples to files there and ``/metrics`` aggregates them.
"""

from __future__ import annotations

import time

from flask import Flask, Response, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

from .settings import Settings

__all__ = ["install", "exposition"]

REQUESTS = Counter(
    "graphsvc_http_requests_total", "HTTP requests answered", ["method", "endpoint", "status"]
)
LATENCY = Histogram(
    "graphsvc_http_request_duration_seconds",
    "Time to answer an HTTP request",
    ["method", "endpoint"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


def install(app: Flask) -> None:
    """Count and time every request of ``app`` by method, endpoint and status."""
    @app.before_request
    def _start_timer():
        g.request_started = time.perf_counter()

    @app.after_request
    def _observe(response):
        # The endpoint name, not the path: member ids must not explode the label set.
        endpoint = request.endpoint or "unmatched"
        started = g.get("request_started")
        if started is not None:
            LATENCY.labels(request.method, endpoint).observe(time.perf_counter() - started)
        REQUESTS.labels(request.method, endpoint, str(response.status_code)).inc()
        return response


def exposition(settings: Settings) -> Response:
    """The Prometheus text of this process, or of every worker with a multiprocess directory."""
    if settings.metrics_dir is not None:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=str(settings.metrics_dir))
    else:
        registry = REGISTRY
    return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)
