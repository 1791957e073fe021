"""The KPI run (kind ``kpis``) over a year of a 1M-member programme with 5M orders and 10M
clicks, and a served KPI answer over HTTP; beside each, its floor measured in the same run:
the run's reads alone (members, orders, clicks through the driver) and the stored report
read straight through the driver.  Its own store (var/bench-kpis): the first load, then
2025's sponsored members marked as referred (60% by click, 20% by code, with campaigns and
channels) and 10M clicks on 100k sharers' links (a code each) written straight to the store."""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

import numpy as np
from benchlib import ROOT, Service, bench_env, bench_store, first_load, fmt, header, percentiles

from graphsvc.domain import ADMIN_ROLE, VIA_CLICK, VIA_CODE
from graphsvc.network.generator import generate

FROM, TO = datetime(2025, 1, 1, tzinfo=timezone.utc), datetime(2026, 1, 1, tzinfo=timezone.utc)
CAMPAIGNS = ("spring", "summer", "autumn", None)
CHANNELS = ("email", "instagram", "whatsapp", None)
BATCH = 10_000


def mark_referrals(services, rng) -> int:
    ids = [r["id"] for r in services.db.read("bench/members_joined", timeout=600, **{"from": FROM, "to": TO})]
    draw = rng.random(len(ids))
    rows = [{"id": i, "via": VIA_CLICK if d < 0.6 else VIA_CODE, "campaign": CAMPAIGNS[int(d * 40) % 4],
             "channel": CHANNELS[int(d * 400) % 4]} for i, d in zip(ids, draw) if d < 0.8]
    for start in range(0, len(rows), BATCH):
        services.db.write("bench/mark_referrals", rows=rows[start : start + BATCH])
    return len(rows)


def write_clicks(services, rng, total: int, sharers: int, members: int) -> float:
    """``total`` clicks over the period on the links of ``sharers`` members (heavy-tailed),
    written in batches from two threads; clicks/s."""
    who = rng.choice(members, sharers, replace=False)
    weight = rng.pareto(1.2, sharers) + 0.01
    p = np.minimum(weight / weight.sum(), 0.01)
    p /= p.sum()
    span = (TO - FROM).total_seconds()

    def batch(number: int) -> None:
        r = np.random.default_rng((7, number))
        s = r.choice(sharers, BATCH, p=p)
        v = r.integers(0, np.maximum(1, (p[s] * total * 0.6).astype(np.int64)))
        t = r.uniform(0, span, BATCH)
        services.db.write("tracking/write_clicks", clicks=[{
            "code": f"c{who[k]}", "member_id": f"M{who[k]:07d}", "campaign": CAMPAIGNS[k % 4],
            "channel": CHANNELS[k // 4 % 4], "visitor_hash": f"x{k}-{vis}", "ip_hash": None, "agent_hash": None,
            "bot": bool(vis % 25 == 0), "at": datetime.fromtimestamp(FROM.timestamp() + sec, timezone.utc).isoformat(),
            "landing_page": "/join"} for k, vis, sec in zip(s.tolist(), v.tolist(), t.tolist())])

    started = time.perf_counter()
    batches = total // BATCH
    with ThreadPoolExecutor(2) as pool:
        for done, _ in enumerate(pool.map(batch, range(batches)), start=1):
            if done % max(1, batches // 10) == 0:
                print(f"  ... {done * BATCH:,} clicks", flush=True)
    return total / (time.perf_counter() - started)


def timed(what: str, work):
    started = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - started
    print(f"{what}: {seconds:.1f} s")
    return result, seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--clicks", type=int, default=10_000_000)
    parser.add_argument("--sharers", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=200)
    parser.add_argument("--reuse", action="store_true", help="keep the store a previous run left")
    args = parser.parse_args()
    data = ROOT / "var" / "bench" / f"data-{args.members}-42"
    if not (data / "orders.csv").exists():
        generate(args.members, data, seed=42)
    env = bench_env("bench-kpis", 18187)
    with bench_store(wipe=not args.reuse, env=env) as (services, server):
        rng = np.random.default_rng(11)
        if not args.reuse:
            first_load(services, server, data)
            marked, _ = timed("marking 2025's sponsored members as referred", lambda: mark_referrals(services, rng))
            print(f"  {marked:,} referred members")
            rate = write_clicks(services, rng, args.clicks, args.sharers, args.members)
            print(f"clicks written straight to the store: {rate:,.0f} clicks/s")
        timed("the sharers' codes with their campaigns and channels", lambda: services.db.write(
            "bench/codes_from_clicks", timeout=3600))
        header("bench_kpis", members=services.db.read("bench/count_members")[0]["n"],
               paid_orders_in_period=services.db.read("bench/count_paid_orders", timeout=600, **{"from": FROM, "to": TO})[0]["n"],
               clicks=services.db.read("bench/count_clicks", timeout=600)[0]["n"], period=f"{FROM:%Y-%m-%d} to {TO:%Y-%m-%d}")

        # The run's reads alone, through the driver: its floor.
        kpis = services.kpis
        timed("floor: the run's reads alone (members, orders to a year past the period, clicks by 4 groupings)",
              lambda: kpis.read(FROM, TO))
        runs = []
        for attempt in (1, 2):
            run = services.analysis.create_run("kpis", FROM.isoformat(), TO.isoformat())
            finished, seconds = timed(f"kpis run {attempt}, end to end (read, compute, store)",
                                      lambda: services.analysis.execute(run["id"]))
            assert finished["status"] == "complete", finished
            runs.append(seconds)
        print(f"peak memory of the bench process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20:.1f} GiB")
        key, _ = services.access.create_key(ADMIN_ROLE)
        auth = {"Authorization": f"Bearer {key}"}
        path = f"/api/v1/kpis?from={FROM:%Y-%m-%d}&to={TO:%Y-%m-%d}&by=month"
        with Service(env=env) as service:
            samples = []
            for _ in range(args.repeats):
                status, elapsed, body = service.get(path, auth)
                assert status == 200 and body["run_id"], body
                samples.append(elapsed)
        floor = []
        for _ in range(args.repeats):
            started = time.perf_counter()
            services.db.read("kpis/stored_report", run_id=body["run_id"], **{"from": FROM, "to": TO})
            floor.append(time.perf_counter() - started)
        served = percentiles(samples)
        print(f"served KPI answer (the stored year, by month) over HTTP: {fmt(served)}; the stored report read "
              f"through the driver median {statistics.median(floor) * 1000:.2f} ms "
              f"(ratio {served['p50_ms'] / (statistics.median(floor) * 1000):.1f}x)")


if __name__ == "__main__":
    main()
