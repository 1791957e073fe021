"""A reward run over the 1M-member network, where every referred member's enrollment kit is
its first order (about a million first orders): the first run (read, evaluate, write every
line), the same run again, a run a month later, a member's balance over HTTP and a month's
earnings leaderboard; reading the events and the evaluation alone beside them.  The store
of scripts/bench_tracking (loaded when empty)."""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import datetime, timezone

from benchlib import ROOT, Service, bench_env, bench_store, first_load, fmt, header, percentiles

from graphsvc.domain import ADMIN_ROLE
from graphsvc.network.generator import generate
from graphsvc.rewards import service as rewards_service
from graphsvc.rewards.buckets import member_hash
from graphsvc.rewards.evaluate import evaluate

RULE = {"referrer": {"flat": {"USD": "10.00"}}, "friend": {"share": "0.10"}, "hold_days": 30,
        "caps": {"month": {"USD": "500.00"}}}
THROUGH = "2026-01-01"
LATER = "2026-02-01"


def instant(day: str) -> datetime:
    """Midnight UTC of an ISO day."""
    return datetime.fromisoformat(day).replace(tzinfo=timezone.utc)


def timed(what: str, work):
    started = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - started
    print(f"{what}: {seconds:.1f} s", flush=True)
    return result, seconds


def runs(services) -> None:
    """The first run (every line new), the same run again (nothing changed), a run a month
    later (holds ended), and the run's parts alone: reading the events, the evaluation.
    The events are read once before, on the just-started server: that read finds the page
    cache cold and the runs find it warm, as on a server that has been up."""
    timed(f"reading the events through {THROUGH} on the just-started server (cold page cache, not in the runs)",
          lambda: services.rewards.events(instant(THROUGH), {}))
    for what, through in (("first reward run", THROUGH), ("the same run again", THROUGH),
                          ("a run a month later", LATER)):
        run, _ = timed(f"{what} through {through}", lambda: services.rewards.run("BENCH", through))
        print(f"  {sum(run['counts']):,} lines ({dict(zip(run['statuses'], run['counts']))}); "
              f"written {run['written']:,}, canceled since {run['canceled_since']:,}", flush=True)
    at = instant(LATER)
    (referrals, orders), _ = timed("  of which reading the events (referrals, first orders)",
                                   lambda: services.rewards.events(at, {}))
    timed(f"  of which the evaluation in Python ({len(referrals):,} referrals, {len(orders):,} first orders)",
          lambda: evaluate("BENCH", services.rewards.rule("BENCH")["rule"], referrals, orders, {}, set(), at))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=100)
    parser.add_argument("--reuse", action="store_true", help="keep the lines a previous run wrote: balances only")
    parser.add_argument("--writers", type=int, default=rewards_service.WRITERS,
                        help="concurrent transactions writing a run's lines")
    args = parser.parse_args()
    rewards_service.WRITERS = args.writers
    env = bench_env("bench-tracking", 18087)
    with bench_store(wipe=False, env=env) as (services, server):
        if not services.db.read("network/any_member"):
            data = ROOT / "var" / "bench" / f"data-{args.members}-42"
            if not (data / "orders.csv").exists():
                generate(args.members, data, seed=42)
            first_load(services, server, data)
        services.rewards.put_rule("BENCH", RULE)
        header("bench_rewards", members=args.members, writers=args.writers)
        if not args.reuse:
            runs(services)
        top = services.db.read("bench/top_beneficiary_rewards")[0]["member_id"]
        key, _ = services.access.create_key(ADMIN_ROLE)
        with Service(env=env) as service:
            auth = {"Authorization": f"Bearer {key}"}
            samples = []
            for _ in range(args.repeats):
                status, elapsed, body = service.get(f"/api/v1/members/{top}/rewards?limit=20", auth)
                assert status == 200, body
                samples.append(elapsed)
        lines = services.db.read("bench/count_beneficiary_lines", member_id=top, hash=member_hash(top))[0]["n"]
        print(f"balance and the first 20 lines of {top}, the member with the most reward lines ({lines:,}), "
              f"over HTTP: {fmt(percentiles(samples))}")
        for what, call in (("the balance alone", lambda: services.rewards.balance(top)),
                           ("the first 20 lines alone", lambda: services.rewards.lines(top, 20, None))):
            floor = []
            for _ in range(args.repeats):
                started = time.perf_counter()
                call()
                floor.append(time.perf_counter() - started)
            print(f"  {what}, through the driver: median {statistics.median(floor) * 1000:.1f} ms")
        board = []
        for _ in range(5):
            started = time.perf_counter()
            services.rewards.leaderboard("earnings", "month", "2025-12-15", "USD", 10)
            board.append(time.perf_counter() - started)
        print(f"the earnings leaderboard of December 2025 (top 10, USD): median {statistics.median(board):.2f} s of 5")


if __name__ == "__main__":
    main()
