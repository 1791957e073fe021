"""gunicorn configuration used by ``graphsvc serve`` and docker-compose.

Workers come from GRAPHSVC_WORKERS; the access log goes to stdout.  Each
worker writes Prometheus samples to a shared folder so /metrics is the sum
over workers.
"""

import os
import shutil

from graphsvc import settings as _settings

_s = _settings.load()
_metrics_dir = _s.metrics_dir or (_s.var_dir / "metrics")
# Before prometheus_client is first imported: it picks its multiprocess mode then.
# Samples of a previous run's workers would otherwise be summed in.
shutil.rmtree(_metrics_dir, ignore_errors=True)
_metrics_dir.mkdir(parents=True, exist_ok=True)
os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(_metrics_dir)

from prometheus_client import multiprocess  # noqa: E402

bind = _s.bind
workers = _s.gunicorn_workers
worker_class = "gthread"
threads = _s.gunicorn_threads
accesslog = "-"
errorlog = "-"
timeout = 120
keepalive = 5
# Behind graphsvc serve's nginx, nginx's smaller limits apply first (and answer as problem+json).
limit_request_line = 8190
limit_request_fields = 32768
limit_request_field_size = 8190


def child_exit(server, worker):
    """Drop a dead worker's Prometheus files so its gauges stop counting."""
    multiprocess.mark_process_dead(worker.pid)
