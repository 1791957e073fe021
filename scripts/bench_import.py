"""Import rate: the transactional import (``graphsvc import``) and the first load
(``graphsvc import --first-load``) of the same generated files, each into a
wiped database, in one run."""

from __future__ import annotations

import argparse
import time

from benchlib import ROOT, first_load, fresh_services, header

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

    services, _ = fresh_services(wipe=True)
    try:
        started, rows = time.perf_counter(), 0
        for kind in ("members", "orders"):
            with open(data / f"{kind}.csv", newline="") as f:
                rows += getattr(services.importer, f"import_{kind}")(f).rows
        elapsed = time.perf_counter() - started
        online = rows / elapsed
        print(f"transactional import (members + orders): {rows:,} rows in {elapsed:.1f} s = {online:,.0f} rows/s")
    finally:
        services.close()

    services, server = fresh_services(wipe=True)
    try:
        loaded = first_load(services, server, data)
    finally:
        services.close()
    print(f"ratio first load / transactional import: {loaded / online:.1f}x")


if __name__ == "__main__":
    main()
