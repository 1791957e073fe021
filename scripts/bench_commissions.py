"""Commission run benchmark: a monthly-style run of a million orders in three currencies
end to end, its rerun, the store it adds against the ledger's older shape (a node per
line), a statement of the member with the most lines, and the in-memory floor (the same
lines computed with numpy from arrays already in memory)."""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
from benchlib import ROOT, Service, fmt, fresh_services, header, percentiles

from graphsvc.commissions.plans import rate_ppm
from graphsvc.domain import ADMIN_ROLE, INVENTORY, PERSONAL, RATE_SCALE, RETAIL
from graphsvc.periods import parse_period

RATES = ["0.05", "0.04", "0.03", "0.02", "0.01"]
COMMISSIONABLE = [RETAIL, PERSONAL, INVENTORY]
STORE = ROOT / "var" / "bench" / "neo4j" / "data" / "databases" / "neo4j"
OLDER_INDEXES = ("older_order_id", "older_run_id", "older_statement")


def store_bytes(db) -> int:
    """The database's store files (not its transaction logs) after a checkpoint."""
    db.write("bench/checkpoint", timeout=600)
    return sum(p.stat().st_size for p in STORE.rglob("*") if p.is_file())


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
    parser.add_argument("--older-to", default="2025-08-19", help="end of the ~100k-order period after --to that "
                                                                 "measures the older shape's store")
    parser.add_argument("--repeats", type=int, default=100)
    args = parser.parse_args()
    services, server = fresh_services(wipe=False)
    db = services.db
    try:
        start, end = parse_period(args.start, args.end)
        _, older_end = parse_period(args.end, args.older_to)
        db.write("bench/set_currencies", timeout=600, **{"from": start, "to": older_end})
        in_period = len(db.read("commissions/period_orders", timeout=600,
                                **{"from": start, "to": end, "kinds": COMMISSIONABLE}))
        header("bench_commissions", members=db.read("bench/count_members")[0]["n"], orders_in_period=in_period,
               plan=f"{len(RATES)} levels {RATES}, compression on, orders in USD, EUR and JPY")
        while db.write("bench/clear_ledger")[0]["deleted"]:
            pass
        services.commissions.put_plan("BENCH", RATES, True, COMMISSIONABLE)
        before = store_bytes(db)
        started = time.perf_counter()
        run = services.commissions.run("BENCH", args.start, args.end)
        wall = time.perf_counter() - started
        grown = store_bytes(db) - before
        counts = db.read("bench/ledger_counts", run_id=run["id"])[0]
        print(f"commission run: {wall:.1f} s end to end, {run['lines']:,} ledger lines, "
              f"{run['lines'] / wall:,.0f} lines/s, {in_period / wall:,.0f} orders/s")
        print("totals: " + ", ".join(f"{t['total']} {t['currency']} ({t['lines']:,} lines)" for t in run["totals"]))
        print(f"stored as {counts['batches']:,} batches, {counts['parts']:,} statement parts, "
              f"{counts['statements']:,} statements; store grew {grown / 2**20:,.1f} MiB = "
              f"{grown / run['lines'] * 1e6 / 2**20:,.1f} MiB per million lines")
        started = time.perf_counter()
        again = services.commissions.run("BENCH", args.start, args.end)
        print(f"rerun of the same period: {time.perf_counter() - started:.2f} s, same run: {again['id'] == run['id']}, "
              f"lines {again['lines']:,}")

        top = db.read("bench/top_beneficiary", run_id=run["id"])[0]
        key, _ = services.access.create_key(ADMIN_ROLE)
        auth = {"Authorization": f"Bearer {key}"}
        service = Service()
        try:
            for limit in (100, 1000):
                samples = []
                for _ in range(args.repeats):
                    status, elapsed, body = service.get(
                        f"/api/v1/members/{top['id']}/commissions?run={run['id']}&limit={limit}", auth)
                    assert status == 200 and len(body["lines"]) == min(limit, top["lines"]), body
                    samples.append(elapsed)
                print(f"statement of {top['id']} ({top['lines']:,} lines), first page of {limit} lines over HTTP: "
                      f"{fmt(percentiles(samples))}")
        finally:
            service.stop()

        floors = []
        for _ in range(3):
            seconds, totals = floor_lines(db, start, end)
            floors.append(seconds)
        expected = {"lines": run["lines"], **{t["currency"]: int(t["total"].replace(".", "")) for t in run["totals"]}}
        floor = statistics.median(floors)
        print(f"in-memory floor (numpy, arrays built beforehand): {floor:.2f} s median of 3, "
              f"{totals['lines']:,} lines; same lines and totals as the run: {totals == expected}")
        print(f"ratio run / floor: {wall / floor:.1f}x")
        # The older shape, measured on a ~100k-order period: the new run's store growth, then
        # the same lines written again as one node each behind that shape's constraint and indexes.
        before = store_bytes(db)
        small = services.commissions.run("BENCH", args.end, args.older_to)
        new_growth = store_bytes(db) - before
        for name in ("older_line_unique", *OLDER_INDEXES):
            db.write(f"bench/{name}")
        db.write("schema_meta/await_indexes", timeout=300)
        before = store_bytes(db)
        db.write_autocommit("bench/write_older_lines", timeout=3600, run_id=small["id"])
        older_growth = store_bytes(db) - before
        per_m = lambda grown: grown / small["lines"] * 1e6 / 2**20  # noqa: E731
        print(f"store per million lines, on a {small['lines']:,}-line period: this shape {per_m(new_growth):,.1f} MiB, "
              f"the older shape (a node per line) {per_m(older_growth):,.1f} MiB; "
              f"ratio {new_growth / older_growth:.3f}")
        while db.write("bench/clear_ledger")[0]["deleted"]:
            pass
        db.write("commissions/drop_old_ledger_constraint", constraint="bench_older_line_unique")
        for name in OLDER_INDEXES:
            db.write("commissions/drop_old_ledger_index", index=f"bench_{name}")

    finally:
        services.close()
        server.stop(echo=lambda _: None)


if __name__ == "__main__":
    main()
