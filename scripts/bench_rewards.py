"""A reward run over the 1M-member network, where every referred member's enrollment kit is
its first order (about a million first orders): the run (read, evaluate, write), the same
run again, and a member's balance over HTTP; the evaluation alone beside it as the floor
of what the run adds around it.  The store of scripts/bench_tracking (loaded when empty)."""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import datetime, timezone

from benchlib import ROOT, Service, bench_env, bench_store, first_load, fmt, header, percentiles

from graphsvc.domain import ADMIN_ROLE
from graphsvc.network.generator import generate
from graphsvc.rewards.evaluate import Order, Referral, evaluate

RULE = {"referrer": {"flat": {"USD": "10.00"}}, "friend": {"share": "0.10"}, "hold_days": 30,
        "caps": {"month": {"USD": "500.00"}}}
THROUGH = "2026-01-01"


def run_twice(services) -> None:
    """The run, the same run again, and the evaluation alone (the floor)."""
    started = time.perf_counter()
    run = services.rewards.run("BENCH", THROUGH)
    seconds = time.perf_counter() - started
    lines = sum(run["counts"])
    print(f"reward run through {THROUGH}: {lines:,} lines in {seconds:.1f} s "
          f"({dict(zip(run['statuses'], run['counts']))})")
    started = time.perf_counter()
    services.rewards.run("BENCH", THROUGH)
    print(f"the same run again (every line rewritten by key, none changed): {time.perf_counter() - started:.1f} s")

    # The floor: the evaluation alone on events already read into memory.
    events = services.db.read("rewards/events", timeout=3600, through=THROUGH + "T00:00:00Z", min_order={})[0]
    referrals = [Referral(f, s, j.to_native(), st) for f, s, j, st in events["referrals"]]
    orders = [Order(o, b, a, c, at.to_native(), r.to_native() if r else None)
              for o, b, a, c, at, r in events["orders"]]
    started = time.perf_counter()
    evaluate("BENCH", services.rewards.rule("BENCH")["rule"], referrals, orders, {}, set(),
             datetime(2026, 1, 1, tzinfo=timezone.utc))
    print(f"  of which evaluation in Python ({len(referrals):,} referrals, {len(orders):,} first orders): "
          f"{time.perf_counter() - started:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=100)
    parser.add_argument("--reuse", action="store_true", help="keep the lines a previous run wrote: balances only")
    args = parser.parse_args()
    env = bench_env("bench-tracking", 18087)
    with bench_store(wipe=False, env=env) as (services, server):
        if not services.db.read("network/any_member"):
            data = ROOT / "var" / "bench" / f"data-{args.members}-42"
            if not (data / "orders.csv").exists():
                generate(args.members, data, seed=42)
            first_load(services, server, data)
        services.rewards.put_rule("BENCH", RULE)
        header("bench_rewards", members=args.members)
        if not args.reuse:
            run_twice(services)
        top = services.db.read("bench/top_beneficiary_rewards")[0]["member_id"]
        key, _ = services.access.create_key(ADMIN_ROLE)
        with Service(env=env) as service:
            auth = {"Authorization": f"Bearer {key}"}
            samples = []
            for _ in range(args.repeats):
                status, elapsed, body = service.get(f"/api/v1/members/{top}/rewards?limit=20", auth)
                assert status == 200, body
                samples.append(elapsed)
            floor = []
            for _ in range(args.repeats):
                started = time.perf_counter()
                services.rewards.balance(top)
                floor.append(time.perf_counter() - started)
            print(f"balance and the first 20 lines of {top}, the member with the most reward lines, over HTTP: "
                  f"{fmt(percentiles(samples))}; the balance query alone median {statistics.median(floor) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
