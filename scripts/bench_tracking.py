"""Referral tracking at scale, over HTTP against graphsvc under gunicorn: clicks through
the batch endpoint (several clients at once), live signups attributed by a click, and
the referral statistics of the member with the most clicks; each beside its floor, the
same query run straight through the driver in the same run; store growth per million
clicks.  Its own store (var/bench-tracking): the 1M-member first load, then the clicks."""

from __future__ import annotations

import argparse
import csv
import http.client
import io
import statistics
import threading
import time
from datetime import datetime, timedelta, timezone

import numpy as np
from benchlib import ROOT, Service, bench_env, bench_store, first_load, fmt, header, percentiles, store_bytes

from graphsvc.domain import ADMIN_ROLE, CODE_ALPHABET, MAX_EVENTS_PER_BATCH
from graphsvc.network.generator import generate

END = datetime(2025, 12, 31, tzinfo=timezone.utc)
SPAN = timedelta(days=180)
AGENT = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) Mobile/15E148 Safari/604.1"


class Clicks:
    """The bench's clicks, batch by batch and the same every run: sharers drawn with a
    heavy tail (the top one capped at 1% of all clicks), visitors coming back (a pool of
    0.6 visitors per click per sharer), times uniform over the half year before END."""

    def __init__(self, codes: list[str], total: int, seed: int = 5):
        rng = np.random.default_rng(seed)
        weight = rng.pareto(1.2, len(codes)) + 0.01
        weight = np.minimum(weight / weight.sum(), 0.01)
        self.p = weight / weight.sum()
        self.codes, self.total, self.seed = codes, total, seed
        self.top = codes[int(np.argmax(self.p))]

    def batch(self, number: int) -> list[dict]:
        rng = np.random.default_rng((self.seed, number))
        sharer = rng.choice(len(self.codes), MAX_EVENTS_PER_BATCH, p=self.p)
        pool = np.maximum(1, (self.p[sharer] * self.total * 0.6).astype(np.int64))
        visitor = rng.integers(0, pool)
        seconds = rng.uniform(0, SPAN.total_seconds(), MAX_EVENTS_PER_BATCH)
        return [{"code": self.codes[s], "visitor_id": f"x{s}-{v}", "at": (END - SPAN + timedelta(seconds=t)).isoformat(),
                 "ip": f"198.18.{v % 256}.{s % 256}", "user_agent": AGENT, "landing_page": "/join"}
                for s, v, t in zip(sharer, visitor, seconds)]


def ingest(service: Service, auth: dict, clicks: Clicks, batches: range, clients: int) -> float:
    """Post the batches from ``clients`` threads, each on its own connection; seconds."""
    todo, lock, failures = iter(batches), threading.Lock(), []
    done = [0]

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", service.port, timeout=600)
        while True:
            with lock:
                number = next(todo, None)
            if number is None:
                return
            status, _, body = service.post("/api/v1/events/clicks", {"clicks": clicks.batch(number)}, auth, conn)
            if status != 200 or body["stored"] != MAX_EVENTS_PER_BATCH:
                failures.append((status, body))
            with lock:
                done[0] += 1
                if done[0] % max(1, len(batches) // 10) == 0:
                    print(f"  ... {done[0] * MAX_EVENTS_PER_BATCH:,} clicks", flush=True)

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures, failures[:3]
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--clicks", type=int, default=10_000_000)
    parser.add_argument("--sharers", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=4, help="concurrent HTTP clients posting clicks")
    parser.add_argument("--repeats", type=int, default=200)
    parser.add_argument("--reuse", action="store_true",
                        help="keep the store a previous run left (its clicks): measure signups and statistics only")
    args = parser.parse_args()
    data = ROOT / "var" / "bench" / f"data-{args.members}-42"
    if not (data / "orders.csv").exists():
        generate(args.members, data, seed=42)
    env = bench_env("bench-tracking", 18087)  # its own store: the 1M-member one keeps its ledger
    with bench_store(wipe=not args.reuse, env=env) as (services, server):
        rng = np.random.default_rng(3)
        ids = [f"M{i:07d}" for i in rng.choice(args.members, args.sharers, replace=False)]
        codes = ["".join(rng.choice(list(CODE_ALPHABET), 10)) for _ in ids]
        if not args.reuse:
            first_load(services, server, data)
            text = io.StringIO()
            writer = csv.writer(text)
            writer.writerow(["member_id", "code", "is_default"])
            writer.writerows([m, c, "true"] for m, c in zip(ids, codes))
            text.seek(0)
            assert services.tracking.import_codes(text)["created"] == args.sharers
        clicks = Clicks(codes, args.clicks)
        top_member = ids[codes.index(clicks.top)]
        header("bench_tracking", members=args.members, clicks=args.clicks, sharers=args.sharers,
               clients=args.clients, top_sharer_share_of_clicks=f"{clicks.p.max():.2%}")
        key, _ = services.access.create_key(ADMIN_ROLE)
        auth = {"Authorization": f"Bearer {key}"}
        batches = args.clicks // MAX_EVENTS_PER_BATCH
        if not args.reuse:
            before = store_bytes(services, server)
            with Service(env=env) as service:
                seconds = ingest(service, auth, clicks, range(batches), args.clients)
                rate = batches * MAX_EVENTS_PER_BATCH / seconds
                print(f"click ingest over HTTP, batches of {MAX_EVENTS_PER_BATCH:,}, {args.clients} clients: "
                      f"{batches * MAX_EVENTS_PER_BATCH:,} clicks in {seconds:.1f} s = {rate:,.0f} clicks/s")
            grown = store_bytes(services, server) - before
            print(f"store growth: {grown / 2**20:,.0f} MiB for {batches * MAX_EVENTS_PER_BATCH:,} clicks = "
                  f"{grown / (batches * MAX_EVENTS_PER_BATCH) * 1e6 / 2**20:,.0f} MiB per million clicks "
                  f"({grown / (batches * MAX_EVENTS_PER_BATCH):,.0f} bytes a click)")

            # The floor of ingest: rows already validated and hashed, written straight through the driver.
            rows = [services.tracking.click_row(c, {code: {"code": code, "member_id": m, "campaign": None,
                                                           "channel": None, "disabled": False}
                                                    for code, m in zip(codes, ids)}, datetime.now(timezone.utc))
                    for c in clicks.batch(batches + 1)]
            floor = []
            for _ in range(20):
                started = time.perf_counter()
                services.db.write("tracking/write_clicks", clicks=rows)
                floor.append(time.perf_counter() - started)
            floor_rate = MAX_EVENTS_PER_BATCH / statistics.median(floor)
            print(f"  floor: one batch of {MAX_EVENTS_PER_BATCH:,} straight through the driver (no HTTP, no checks, one "
                  f"client), median {statistics.median(floor) * 1000:.0f} ms = {floor_rate:,.0f} clicks/s; "
                  f"HTTP with {args.clients} clients / floor = {rate / floor_rate:.2f}")

        with Service(env=env) as service:
            # Live signups, each by a visitor who clicked within the hour before.
            samples, started_at = [], int(time.time())
            for i in range(args.repeats):
                click = clicks.batch(batches + 2 + i)[0]
                joined = datetime.fromisoformat(click["at"]) + timedelta(minutes=30)
                body = {"id": f"LIVE{started_at}-{i:05d}", "joined_at": joined.isoformat(), "status": "active", "country": "DE",
                        "visitor_id": click["visitor_id"], "ip": "192.0.2.1"}
                services.tracking.record_clicks([click])
                status, elapsed, answer = service.post("/api/v1/members", body, auth)
                assert status == 201 and answer["attribution"]["via"] == "click", answer
                samples.append(elapsed)
            signup = percentiles(samples)
            print(f"live signup attributed by a click, over HTTP: {fmt(signup)}")

            period = {"from": (END - SPAN).date().isoformat(), "to": END.date().isoformat()}
            month = {"from": (END - timedelta(days=30)).date().isoformat(), "to": END.date().isoformat()}
            for name, p in (("half a year", period), ("the last month", month)):
                path = f"/api/v1/members/{top_member}/referral-stats?from={p['from']}&to={p['to']}"
                samples, answer = [], None
                for _ in range(args.repeats // 4):
                    status, elapsed, answer = service.get(path, auth)
                    assert status == 200, answer
                    samples.append(elapsed)
                stats = percentiles(samples)
                floor = []
                for _ in range(args.repeats // 4):
                    started = time.perf_counter()
                    services.db.read("tracking/referral_stats", member_id=top_member,
                                     **{"from": datetime.fromisoformat(p["from"]).replace(tzinfo=timezone.utc),
                                        "to": datetime.fromisoformat(p["to"]).replace(tzinfo=timezone.utc)})
                    floor.append(time.perf_counter() - started)
                print(f"referral stats of the member with the most clicks ({answer['clicks']:,} clicks, "
                      f"{answer['unique_visitors']:,} visitors in {name}), over HTTP: {fmt(stats)}; "
                      f"the query alone through the driver: median {statistics.median(floor) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
