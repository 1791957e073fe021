"""Commission run benchmark: a monthly-style run of a million orders in three currencies
end to end, its rerun, the store it adds against the ledger's older shape (a node per
line), a statement of the member with the most lines, and the in-memory floor (the same
lines computed with numpy from arrays already in memory)."""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
from benchlib import ROOT, Service, bench_env, bench_store, first_load, fmt, header, percentiles, store_bytes

from graphsvc.commissions.plans import rate_ppm
from graphsvc.domain import ADMIN_ROLE, INVENTORY, PERSONAL, RATE_SCALE, RETAIL
from graphsvc.network.generator import generate
from graphsvc.periods import parse_period

RATES = ["0.05", "0.04", "0.03", "0.02", "0.01"]
COMMISSIONABLE = [RETAIL, PERSONAL, INVENTORY]
OLDER_INDEXES = ("older_order_id", "older_run_id", "older_statement")


def store_per_million_lines(start: str, end: str) -> None:
    """Store growth per million lines, this shape against the older one (a node per line
    behind its constraint and three indexes), on a fresh store (a store that had lines
    deleted reuses their space and grows less): the 300k-member data set, one run over
    [start, end), then the same lines written again in the older shape."""
    with bench_store(wipe=True, env=bench_env("bench-ledger", 17887)) as (services, server):
        db = services.db
        data = ROOT / "var" / "bench" / "data-300000-42"
        if not (data / "orders.csv").exists():
            generate(300_000, data, seed=42)
        first_load(services, server, data)
        services.commissions.put_plan("BENCH", RATES, True, COMMISSIONABLE)
        before = store_bytes(services, server)
        run = services.commissions.run("BENCH", start, end)
        grown = store_bytes(services, server) - before
        for name in ("older_line_unique", *OLDER_INDEXES):
            db.write(f"bench/{name}")
        db.write("schema_meta/await_indexes", timeout=300)
        before = store_bytes(services, server)
        db.write_autocommit("bench/write_older_lines", timeout=3600, run_id=run["id"])
        older = store_bytes(services, server) - before
        per_m = lambda grown: grown / run["lines"] * 1e6 / 2**20  # noqa: E731
        print(f"store per million lines, fresh 300k-member store, {start} to {end} ({run['lines']:,} lines): "
              f"this shape {per_m(grown):,.1f} MiB, the older shape (a node per line) {per_m(older):,.1f} MiB; "
              f"ratio {grown / older:.3f}")


def floor_lines(db, start, end) -> tuple[float, dict]:
    """The run's lines computed in numpy: seconds (arrays built beforehand, untimed) and
    totals per currency in minor units."""
    members = db.read("bench/floor_members", timeout=600)[0]
    orders = db.read("bench/floor_orders", timeout=600, kinds=COMMISSIONABLE, **{"from": start, "to": end})[0]
    index = {m: i for i, m in enumerate(members["ids"])}
    parent = np.array([index.get(s, -1) for s in members["sponsors"]], dtype=np.int64)
    active = np.array(members["active"], dtype=bool)
    seller = np.array([index[s] for s in orders["sellers"]], dtype=np.int64)
    amounts = np.array(orders["amounts"], dtype=np.int64)
    currencies = np.array(orders["currencies"])
    started = time.perf_counter()
    paid = np.zeros(len(amounts), dtype=np.int64)
    lines = 0
    up = parent[seller]
    for ppm in (rate_ppm(r) for r in RATES):
        while True:  # compression: climb past members who are not active
            climb = (up >= 0) & ~active[np.maximum(up, 0)]
            if not climb.any():
                break
            up[climb] = parent[up[climb]]
        whole, rest = np.divmod(amounts * ppm, RATE_SCALE)
        amount = whole + (2 * rest > RATE_SCALE) + ((2 * rest == RATE_SCALE) & (whole % 2 == 1))
        keep = (up >= 0) & (amount > 0)
        paid += np.where(keep, amount, 0)
        lines += int(keep.sum())
        up = np.where(up >= 0, parent[np.maximum(up, 0)], -1)
    elapsed = time.perf_counter() - started
    totals = {c: int(paid[currencies == c].sum()) for c in np.unique(currencies)}
    return elapsed, {"lines": lines, **totals}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--from", dest="start", default="2025-01-01")
    parser.add_argument("--to", dest="end", default="2025-08-01")
    parser.add_argument("--older-from", default="2025-01-01", help="a ~100k-order period of the 300k-member data "
                                                                  "set, to measure the older shape's store")
    parser.add_argument("--older-to", default="2025-04-01")
    parser.add_argument("--repeats", type=int, default=100)
    args = parser.parse_args()
    with bench_store(wipe=False) as (services, server):
        db = services.db
        start, end = parse_period(args.start, args.end)
        db.write("bench/set_currencies", timeout=600, **{"from": start, "to": end})
        in_period = len(db.read("commissions/period_orders", timeout=600,
                                **{"from": start, "to": end, "kinds": COMMISSIONABLE})[0]["ids"])
        header("bench_commissions", members=db.read("bench/count_members")[0]["n"], orders_in_period=in_period,
               plan=f"{len(RATES)} levels {RATES}, compression on, orders in USD, EUR and JPY")
        while db.write("bench/clear_ledger")[0]["deleted"]:
            pass
        services.commissions.put_plan("BENCH", RATES, True, COMMISSIONABLE)
        db.read("bench/floor_members", timeout=600)  # members into the page cache, as orders are above
        started = time.perf_counter()
        run = services.commissions.run("BENCH", args.start, args.end)
        wall = time.perf_counter() - started
        counts = db.read("bench/ledger_counts", run_id=run["id"])[0]
        print(f"commission run: {wall:.1f} s end to end, {run['lines']:,} ledger lines, "
              f"{run['lines'] / wall:,.0f} lines/s, {in_period / wall:,.0f} orders/s")
        print("totals: " + ", ".join(f"{t['total']} {t['currency']} ({t['lines']:,} lines)" for t in run["totals"]))
        print(f"stored as {counts['batches']:,} batches, {counts['parts']:,} statement parts, "
              f"{counts['statements']:,} statements")
        started = time.perf_counter()
        again = services.commissions.run("BENCH", args.start, args.end)
        print(f"rerun of the same period: {time.perf_counter() - started:.2f} s, same run: {again['id'] == run['id']}, "
              f"lines {again['lines']:,}")

        top = db.read("bench/top_beneficiary", run_id=run["id"])[0]
        key, _ = services.access.create_key(ADMIN_ROLE)
        auth = {"Authorization": f"Bearer {key}"}
        with Service() as service:
            for limit in (100, 1000):
                samples = []
                for _ in range(args.repeats):
                    status, elapsed, body = service.get(
                        f"/api/v1/members/{top['id']}/commissions?run={run['id']}&limit={limit}", auth)
                    assert status == 200 and len(body["lines"]) == min(limit, top["lines"]), body
                    samples.append(elapsed)
                print(f"statement of {top['id']} ({top['lines']:,} lines), first page of {limit} lines over HTTP: "
                      f"{fmt(percentiles(samples))}")

        floors = []
        for _ in range(3):
            seconds, totals = floor_lines(db, start, end)
            floors.append(seconds)
        expected = {"lines": run["lines"], **{t["currency"]: int(t["total"].replace(".", "")) for t in run["totals"]}}
        floor = statistics.median(floors)
        print(f"in-memory floor (numpy, arrays built beforehand): {floor:.2f} s median of 3, "
              f"{totals['lines']:,} lines; same lines and totals as the run: {totals == expected}")
        print(f"ratio run / floor: {wall / floor:.1f}x")
    store_per_million_lines(args.older_from, args.older_to)


if __name__ == "__main__":
    main()
