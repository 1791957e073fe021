"""Import rate: the transactional import (``graphsvc import``) and the first load
(``graphsvc import --first-load``) of the same generated files, each into a
wiped database, in one run; and what skipping the rows of unfinished imports
costs a reader (every paid order counted, with and without the clause)."""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import datetime, timezone

from benchlib import ROOT, bench_store, first_load, fresh_services, header

from graphsvc.network.generator import generate


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()

    data = ROOT / "var" / "bench" / f"data-{args.members}-{args.seed}"
    if not (data / "orders.csv").exists():
        generate(args.members, data, seed=args.seed)
    counts = {k: sum(1 for _ in open(data / f"{k}.csv")) - 1 for k in ("members", "orders")}
    header("bench_import", **counts)

    with bench_store(wipe=True) as (services, _):
        started, rows = time.perf_counter(), 0
        for kind in ("members", "orders"):
            with open(data / f"{kind}.csv", newline="") as f:
                rows += getattr(services.importer, f"import_{kind}")(f).rows
        elapsed = time.perf_counter() - started
        online = rows / elapsed
        print(f"transactional import (members + orders): {rows:,} rows in {elapsed:.1f} s = {online:,.0f} rows/s")
        reader_cost(services)

    services, server = fresh_services(wipe=True)
    try:
        loaded = first_load(services, server, data)
    finally:
        services.close()
    print(f"ratio first load / transactional import: {loaded / online:.1f}x")


def reader_cost(services, repeats: int = 7) -> None:
    """Median time to count every paid order with and without skipping unfinished imports."""
    period = {"from": datetime(2000, 1, 1, tzinfo=timezone.utc), "to": datetime(2100, 1, 1, tzinfo=timezone.utc)}
    medians = {}
    for query in ("bench/count_paid_orders_unfiltered", "bench/count_paid_orders") * 2:  # warm both first
        samples = []
        for _ in range(repeats):
            started = time.perf_counter()
            n = services.db.read(query, **period)[0]["n"]
            samples.append(time.perf_counter() - started)
        medians[query] = statistics.median(samples)
    base, filtered = medians["bench/count_paid_orders_unfiltered"], medians["bench/count_paid_orders"]
    print(f"reader: count {n:,} paid orders, median of {repeats}: {base * 1000:.0f} ms without the "
          f"unfinished-import clause, {filtered * 1000:.0f} ms with it (ratio {filtered / base:.2f})")


if __name__ == "__main__":
    main()
