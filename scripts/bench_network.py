"""Network benchmark (see scripts/bench_network)."""

from __future__ import annotations

import argparse
import csv
import random
import shutil
import subprocess
import time
from pathlib import Path

from benchlib import ROOT, Service, bench_store, first_load, fmt, header, percentiles

from graphsvc.network.generator import generate

PG_PORT = 15432
CTE = """
WITH RECURSIVE d(id, sponsor_id, level) AS (
    SELECT id, sponsor_id, 1 FROM members WHERE sponsor_id = %(id)s
  UNION ALL
    SELECT m.id, m.sponsor_id, d.level + 1 FROM members m JOIN d ON m.sponsor_id = d.id WHERE d.level < %(depth)s
), levels AS (SELECT level, count(*) AS n FROM d GROUP BY level),
page AS (SELECT id, sponsor_id, level FROM d ORDER BY level, id LIMIT 100)
SELECT (SELECT json_agg(levels) FROM levels), (SELECT json_agg(page) FROM page)
"""


def postgres(data: Path, pg_dir: Path):
    """PostgreSQL 15 (Debian's) on loopback with the members in an adjacency table."""
    import psycopg

    bindir = Path("/usr/lib/postgresql/15/bin")
    shutil.rmtree(pg_dir, ignore_errors=True)
    pg_dir.mkdir(parents=True)
    shutil.chown(pg_dir, "postgres")
    as_pg = ["runuser", "-u", "postgres", "--"]
    subprocess.run(as_pg + [str(bindir / "initdb"), "-D", str(pg_dir / "data"), "-A", "trust"], check=True,
                   capture_output=True)
    subprocess.run(as_pg + [str(bindir / "pg_ctl"), "-D", str(pg_dir / "data"), "-l", str(pg_dir / "log"),
                            "-o", f"-p {PG_PORT} -k /tmp -c listen_addresses=127.0.0.1 -c shared_buffers=2GB "
                                  "-c work_mem=256MB", "start", "-w"], check=True, capture_output=True)
    conn = psycopg.connect(f"host=127.0.0.1 port={PG_PORT} user=postgres dbname=postgres", autocommit=True)
    conn.execute("CREATE TABLE members (id text PRIMARY KEY, sponsor_id text)")
    with conn.cursor().copy("COPY members (id, sponsor_id) FROM STDIN") as copy, open(data / "members.csv") as f:
        for row in csv.DictReader(f):
            copy.write_row((row["id"], row["sponsor_id"] or None))
    conn.execute("CREATE INDEX members_sponsor ON members (sponsor_id)")
    conn.execute("ANALYZE members")

    def stop():
        conn.close()
        subprocess.run(as_pg + [str(bindir / "pg_ctl"), "-D", str(pg_dir / "data"), "stop", "-m", "fast"],
                       capture_output=True)

    return conn, stop


def compare_page_strategies(services, sample: list[str]) -> None:
    """Service level, same run, interleaved per member: every page by one index
    seek per level (after the full member read) against the service's choice
    (position read; one subtree scan for a small downline)."""
    network = services.network

    def per_level(member_id: str) -> list:
        member = services.db.read("network/member", ids=[member_id])[0]
        return network._downline_page_by_level(member, member["level_counts"][:10], 1, "", 100)[0]

    for member_id in sample:  # warm both paths
        per_level(member_id), network.downline(member_id, 10, 100, None)
    seek, chosen = [], []
    for member_id in sample:
        started = time.perf_counter()
        expected = per_level(member_id)
        middle = time.perf_counter()
        assert network.downline(member_id, 10, 100, None)["items"] == expected
        seek.append(middle - started)
        chosen.append(time.perf_counter() - middle)
    print(f"random members, service level: seek per level {fmt(percentiles(seek))}; "
          f"as served {fmt(percentiles(chosen))}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--orders-per-member", type=float, default=5.0)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeats", type=int, default=20, help="requests per large subtree")
    parser.add_argument("--reuse", action="store_true", help="keep the imported database; measure queries only")
    args = parser.parse_args()

    data = ROOT / "var" / "bench" / f"data-{args.members}-{args.seed}"
    if not (data / "orders.csv").exists():
        counts = generate(args.members, data, seed=args.seed, orders_per_member=args.orders_per_member)
    else:
        counts = {k: sum(1 for _ in open(data / f"{k}.csv")) - 1 for k in ("members", "orders")}
    header("bench_network", members=counts["members"], orders=counts["orders"])
    with bench_store(wipe=not args.reuse) as (services, server):
        if not args.reuse:
            first_load(services, server, data)

        largest = [r["id"] for r in services.db.read("bench/largest_subtrees", limit=10)]
        everyone = [r["id"] for r in services.db.read("bench/member_ids")]
        sample = random.Random(args.seed).sample(everyone, min(1000, len(everyone)))
        key, _ = services.access.create_key("admin")
        auth = {"Authorization": f"Bearer {key}"}
        with Service(workers=2) as service:
            # Steady state: untimed passes over every member measured below for a minute,
            # so neither a restarted server's cold page cache nor its first minute of
            # compiling query plans and hot paths decides the figures.
            warm_until = time.monotonic() + 60
            while time.monotonic() < warm_until:
                for member in largest + sample:
                    service.get(f"/api/v1/members/{member}/downline?depth=10&limit=100", auth)
                    service.get(f"/api/v1/members/{member}/upline?levels=20", auth)
            big, sizes = [], []
            for member in largest:
                for _ in range(args.repeats):
                    status, seconds, body = service.get(f"/api/v1/members/{member}/downline?depth=10&limit=100", auth)
                    assert status == 200, body
                    big.append(seconds)
                sizes.append(body["total"])
            small = [service.get(f"/api/v1/members/{m}/downline?depth=10&limit=100", auth)[1] for m in sample]
            upline = [service.get(f"/api/v1/members/{m}/upline?levels=20", auth)[1] for m in sample]
        print(f"largest subtrees (depth 10 totals {min(sizes):,}..{max(sizes):,}): downline summary + first page "
              f"over HTTP {fmt(percentiles(big))}")
        print(f"random members: downline over HTTP {fmt(percentiles(small))}")
        print(f"random members: upline over HTTP {fmt(percentiles(upline))}")
        compare_page_strategies(services, sample)

        conn, stop_pg = postgres(data, ROOT / "var" / "bench" / "pg")
        try:
            pg_big = []
            for member in largest:
                for _ in range(max(3, args.repeats // 4)):
                    started = time.perf_counter()
                    conn.execute(CTE, {"id": member, "depth": 10}).fetchone()
                    pg_big.append(time.perf_counter() - started)
            pg_small = []
            for member in sample:
                started = time.perf_counter()
                conn.execute(CTE, {"id": member, "depth": 10}).fetchone()
                pg_small.append(time.perf_counter() - started)
        finally:
            stop_pg()
        pb, ps = percentiles(pg_big), percentiles(pg_small)
        gb, gs = percentiles(big), percentiles(small)
        print(f"PostgreSQL 15 recursive CTE (direct SQL, no HTTP), largest subtrees: {fmt(pb)}")
        print(f"PostgreSQL 15 recursive CTE, random members: {fmt(ps)}")
        print(f"ratio CTE p50 / graphsvc p50: largest {pb['p50_ms'] / gb['p50_ms']:.1f}x, "
              f"random {ps['p50_ms'] / gs['p50_ms']:.1f}x")


if __name__ == "__main__":
    main()
