"""`graphsvc serve` under gunicorn with several workers: /metrics sums them."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_metrics_are_summed_over_gunicorn_workers(settings, services, tmp_path):
    port = _free_port()
    env = {**os.environ, "GRAPHSVC_WORKERS": "3", "GRAPHSVC_VAR_DIR": str(settings.var_dir),
           "NEO4J_BOLT_PORT": str(settings.neo4j_bolt_port)}
    graphsvc = Path(sys.executable).with_name("graphsvc")
    server = subprocess.Popen([str(graphsvc), "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):  # wait on another endpoint, so every healthz below is counted once
            try:
                urllib.request.urlopen(base + "/readyz", timeout=5)
                break
            except OSError:
                time.sleep(0.1)
        for _ in range(30):
            urllib.request.urlopen(base + "/healthz", timeout=5)
        text = urllib.request.urlopen(base + "/metrics", timeout=5).read().decode()
        line = next(l for l in text.splitlines()
                    if l.startswith("graphsvc_http_requests_total{") and "health.healthz" in l)
        # One worker alone would have seen about a third of them.
        assert float(line.rsplit(" ", 1)[1]) == 30
    finally:
        server.terminate()
        server.wait(30)


def test_a_second_serve_on_the_same_port_says_so_in_one_line_and_instances_keep_their_own_files(settings):
    port = _free_port()
    env = {**os.environ, "GRAPHSVC_VAR_DIR": str(settings.var_dir), "NEO4J_BOLT_PORT": str(settings.neo4j_bolt_port)}
    graphsvc = Path(sys.executable).with_name("graphsvc")
    first = subprocess.Popen([str(graphsvc), "serve", "--port", str(port)], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5)
                break
            except OSError:
                time.sleep(0.1)
        second = subprocess.run([str(graphsvc), "serve", "--port", str(port)], env=env, capture_output=True,
                                text=True, timeout=60)
        assert second.returncode == 1
        assert second.stderr.strip().splitlines() == [
            f"Error: port {port} is in use on 127.0.0.1 (another graphsvc serve, or another program); "
            "choose another with --port"]
        # The running instance has its own gunicorn control socket and metrics folder.
        assert (settings.var_dir / "run" / f"gunicorn-{port}.ctl").exists()
        assert (settings.var_dir / "metrics" / str(port)).is_dir()
    finally:
        first.terminate()
        first.wait(30)
