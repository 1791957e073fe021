"""Statement pages over HTTP for a member with many ledger lines: the first page, a
page deep in the statement (by cursor), and a small page; the same query run directly
through the driver (no HTTP, no JSON) as the floor."""

from __future__ import annotations

import argparse
import random
import statistics
import time

from benchlib import ROOT, Service, bench_env, bench_store, fmt, header, percentiles

from graphsvc.domain import ADMIN_ROLE


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=100_000, help="orders sold below the member, one line each")
    parser.add_argument("--repeats", type=int, default=100)
    args = parser.parse_args()
    data = ROOT / "var" / "bench-statements" / f"statements-{args.lines}"
    data.mkdir(parents=True, exist_ok=True)
    (data / "members.csv").write_text("id,sponsor_id,joined_at,status,country\nR,,2023-01-01T00:00:00Z,active,US\n"
                                      "D,R,2023-01-02T00:00:00Z,active,US\nS,D,2023-01-03T00:00:00Z,active,US\n")
    rng = random.Random(7)
    with open(data / "orders.csv", "w") as f:
        f.write("id,seller_id,buyer_id,amount,currency,kind,at,status,customer_ref\n")
        for i in range(args.lines):
            f.write(f"O{i:07d},S,,{rng.randint(5, 500)}.{rng.randint(0, 99):02d},USD,retail,"
                    f"2024-01-{1 + i % 28:02d}T{i % 24:02d}:00:00Z,paid,c{i % 1000}\n")
    env = bench_env("bench-statements", 17987)  # its own store: the wipe leaves the 1M-member one alone
    with bench_store(wipe=True, env=env) as (services, server):
        for kind in ("members", "orders"):
            with open(data / f"{kind}.csv", newline="") as f:
                getattr(services.importer, f"import_{kind}")(f)
        services.commissions.put_plan("P", ["0.10", "0.05"], True, ["retail"])
        started = time.perf_counter()
        run = services.commissions.run("P", "2024-01-01", "2024-02-01")
        print(f"(setup) commission run of {args.lines:,} orders: {time.perf_counter() - started:.1f} s")
        header("bench_statements", lines_of_the_member=run["lines"] // 2, lines_in_the_run=run["lines"])
        key, _ = services.access.create_key(ADMIN_ROLE)
        auth = {"Authorization": f"Bearer {key}"}
        base = f"/api/v1/members/D/commissions?run={run['id']}"
        with Service(env=env) as service:
            middle = None
            for _ in range(args.lines // 2000):  # find a cursor halfway through
                middle = service.get(base + "&limit=1000" + (f"&cursor={middle}" if middle else ""), auth)[2][
                    "next_cursor"]
            cases = {"first page, 1,000 lines": base + "&limit=1000",
                     "a page halfway through, 1,000 lines": base + f"&limit=1000&cursor={middle}",
                     "first page, 100 lines": base + "&limit=100"}
            medians = {}
            for name, path in cases.items():
                samples = []
                for _ in range(args.repeats):
                    status, elapsed, body = service.get(path, auth)
                    assert status == 200 and body["totals"], body
                    samples.append(elapsed)
                medians[name] = statistics.median(samples)
                print(f"HTTP {name}: {fmt(percentiles(samples))}")
        floor = []
        for _ in range(args.repeats):
            started = time.perf_counter()
            services.db.read("commissions/member_lines", run_id=run["id"], member_id="D", after_batch="", skip=0,
                             wanted=1001, parts=4)
            services.db.read("commissions/member_totals", run_id=run["id"], member_id="D")
            floor.append(time.perf_counter() - started)
        print(f"floor: the two queries of a 1,000-line page through the driver (parts, totals): {fmt(percentiles(floor))}")
        print(f"median ratio HTTP first page of 1,000 lines / floor: "
              f"{medians['first page, 1,000 lines'] / statistics.median(floor):.2f}x")


if __name__ == "__main__":
    main()
