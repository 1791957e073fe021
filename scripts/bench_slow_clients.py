"""Slow clients: request latency on loopback with and without 50 connections that
trickle their headers or say nothing, for gunicorn alone and for nginx in front
of it (``graphsvc serve``), measured in the same run."""

from __future__ import annotations

import argparse
import socket
import threading
import time

from benchlib import Service, bench_env, fmt, fresh_services, header, percentiles

TIMEOUT_S = 2.0


def measure(service: Service, count: int) -> list[float]:
    """Latency of ``count`` GET /readyz (a Neo4j read) on fresh connections; a stalled
    request counts as the timeout."""
    import http.client

    took = []
    for _ in range(count):
        started = time.perf_counter()
        try:
            conn = http.client.HTTPConnection("127.0.0.1", service.port, timeout=TIMEOUT_S)
            conn.request("GET", "/readyz")
            conn.getresponse().read()
            conn.close()
            took.append(time.perf_counter() - started)
        except OSError:
            took.append(TIMEOUT_S)
    return took


def slow_clients(port: int, count: int) -> tuple[list[socket.socket], threading.Event]:
    """Half trickle a header line a second; half connect and say nothing."""
    conns = []
    for i in range(count):
        conn = socket.create_connection(("127.0.0.1", port), timeout=5)
        if i % 2 == 0:
            conn.sendall(b"GET /readyz HTTP/1.1\r\nHost: x\r\n")
        conns.append(conn)
    stop = threading.Event()

    def trickle():
        while not stop.wait(1.0):
            for conn in conns[::2]:
                try:
                    conn.sendall(b"X-Slow: 1\r\n")
                except OSError:
                    pass

    threading.Thread(target=trickle, daemon=True).start()
    return conns, stop


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--slow", type=int, default=50)
    parser.add_argument("--requests", type=int, default=500)
    args = parser.parse_args()
    header("bench_slow_clients", slow_clients=args.slow, requests=args.requests, workers=2, threads=2,
           request="GET /readyz (reads Neo4j), a new connection each")
    services, _ = fresh_services(wipe=False)
    services.close()
    for proxy in ("none", "nginx"):
        with Service(workers=2, threads=2, env={**bench_env(), "GRAPHSVC_PROXY": proxy}) as service:
            measure(service, 100)  # warm-up
            normal = percentiles(measure(service, args.requests))
            conns, stop = slow_clients(service.port, args.slow)
            time.sleep(1.0)
            # gunicorn alone stalls: fewer requests, each bounded by the timeout.
            attacked = measure(service, args.requests if proxy == "nginx" else 40)
            stop.set()
            for conn in conns:
                conn.close()
            hit = percentiles(attacked)
            stalled = sum(t >= TIMEOUT_S for t in attacked)
            print(f"{'nginx + gunicorn' if proxy == 'nginx' else 'gunicorn alone'}: normal {fmt(normal)}; "
                  f"with {args.slow} slow clients {fmt(hit)}, {stalled} stalled past {TIMEOUT_S:.0f} s; "
                  f"p99 ratio {hit['p99_ms'] / normal['p99_ms']:.2f}")


if __name__ == "__main__":
    main()
