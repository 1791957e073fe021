"""Commission run benchmark: the batched Cypher run against the naive path
(one transaction per order, upline by variable-length expansion)."""

from __future__ import annotations

import argparse
import random
import time
from decimal import ROUND_HALF_EVEN, Decimal

from benchlib import fresh_services, header

from graphsvc.commissions.service import run_id_for
from graphsvc.domain import INVENTORY, PERSONAL, RETAIL
from graphsvc.periods import parse_period

RATES = ["0.05", "0.04", "0.03", "0.02", "0.01"]
COMMISSIONABLE = [RETAIL, PERSONAL, INVENTORY]


def naive_order(db, order_id: str) -> int:
    """Pay one order the slow way; returns the lines written."""
    rows = db.read("bench/naive_pay_order", order_id=order_id)
    if not rows or not rows[0]["upline"]:
        return 0
    chain = [m for m, s in zip(rows[0]["upline"], rows[0]["statuses"]) if s == "active"]
    lines = []
    for level, (member, rate) in enumerate(zip(chain, RATES), start=1):
        amount = int((Decimal(rows[0]["amount_minor"]) * Decimal(rate)).quantize(Decimal(1), ROUND_HALF_EVEN))
        if amount > 0:
            lines.append({"order_id": order_id, "beneficiary_id": member, "level": level, "amount_minor": amount})
    db.write("bench/naive_write_lines", lines=lines)
    return len(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--from", dest="start", default="2025-01-01")
    parser.add_argument("--to", dest="end", default="2025-08-01")
    parser.add_argument("--naive-sample", type=int, default=1000)
    args = parser.parse_args()
    services, server = fresh_services(wipe=False)
    db = services.db
    try:
        members = db.read("bench/count_members")[0]["n"]
        start, end = parse_period(args.start, args.end)
        in_period = len(db.read("commissions/period_orders", timeout=600, **{"from": start, "to": end, "kinds": COMMISSIONABLE}))
        header("bench_commissions", members=members, orders_in_period=in_period,
               plan=f"{len(RATES)} levels {RATES}, compression on")
        while db.write("bench/clear_ledger")[0]["deleted"]:
            pass
        services.commissions.put_plan("BENCH", RATES, True, COMMISSIONABLE)
        started = time.perf_counter()
        run = services.commissions.run("BENCH", args.start, args.end)
        wall = time.perf_counter() - started
        print(f"commission run: {wall:.1f} s end to end, {run['lines']:,} ledger lines, "
              f"{run['lines'] / wall:,.0f} lines/s, {in_period / wall:,.0f} orders/s, total {run['total']}")
        started = time.perf_counter()
        again = services.commissions.run("BENCH", args.start, args.end)
        print(f"rerun of the same period: {time.perf_counter() - started:.2f} s, same run: {again['id'] == run['id']}")

        order_ids = [r["id"] for r in db.read("commissions/period_orders", timeout=600,
                                              **{"from": start, "to": end, "kinds": COMMISSIONABLE})]
        sample = random.Random(7).sample(order_ids, min(args.naive_sample, len(order_ids)))
        started = time.perf_counter()
        naive_lines = sum(naive_order(db, order_id) for order_id in sample)
        per_order = (time.perf_counter() - started) / len(sample)
        extrapolated = per_order * in_period
        print(f"naive path: {per_order * 1000:.2f} ms per order over a sample of {len(sample):,} "
              f"({naive_lines:,} lines), extrapolated to {in_period:,} orders: {extrapolated:.0f} s")
        print(f"ratio naive / batched: {extrapolated / wall:.1f}x")
        while db.write("bench/clear_naive")[0]["deleted"]:
            pass
        assert run_id_for("BENCH", start, end) == run["id"]
    finally:
        services.close()
        server.stop(echo=lambda _: None)


if __name__ == "__main__":
    main()
