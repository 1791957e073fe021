"""What writing a reward line costs in Neo4j, by how lines are stored: as the service
stores them (a node per line with its indexes, and the member totals the same
transaction keeps: created in member order, and merged in time order as before), the
same nodes without the totals, a node per line with no index
(the floor of that layout), a node per rule and member holding its lines as lists, a node
per rule and bucket of members (a hash of the member) holding its members' lines as lists,
and batch nodes holding lists (nothing found by member).  Synthetic lines shaped like a
first run's (a referrer and a friend line per first order, the sponsor an earlier friend:
about two lines a member), written by a run's writers in transactions of 5,000 like a
run, under scratch labels, rule and member ids in the store of scripts/bench_rewards
(removed afterwards).  It measures what bounds a first run's write phase, not a run."""

from __future__ import annotations

import argparse
import random
import statistics
import time
import zlib
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

from benchlib import bench_env, bench_store, header

from graphsvc.rewards import service as rewards_service, totals
from graphsvc.rewards.evaluate import Line

RULE = "bench-layout"
PREFIX = "layout-"  # the scratch members' ids
FIRST_RUN_LINES = 2_041_175  # the first run of scripts/bench_rewards
FIRST_RUN_BUCKETS = 65_536  # member buckets for a first run's lines: about 31 lines each
T0 = datetime(2025, 1, 1, tzinfo=timezone.utc)
PLURAL = {"key": "keys", "event_id": "event_ids", "kind": "kinds", "beneficiary_id": "beneficiary_ids",
          "amount_minor": "amounts", "currency": "currencies", "status": "statuses", "at": "ats",
          "approves_at": "approves_ats", "state": "states"}  # a row's field: its list's name
TOTALS = {"member_id": "total_members", "currency": "total_currencies", "status": "total_statuses"}  # likewise


def bucket_of(member_id: str, buckets: int) -> int:
    """A member's bucket: a hash of its id, the same in every process."""
    return zlib.crc32(member_id.encode()) % buckets


def lines(n: int, tag: int, rnd: random.Random) -> list[tuple[Line, dict]]:
    """``n`` new lines as a run writes them (with their rows, and in them the member's
    bucket among as many as a first run's lines would fill alike): a friend's first order
    gives its sponsor, an earlier friend, a referrer line and the friend a friend line."""
    buckets = max(1, round(FIRST_RUN_BUCKETS * n / FIRST_RUN_LINES))
    out = []
    for i in range(n // 2):
        at = T0 + timedelta(seconds=i)
        order, friend, sponsor = f"O{tag}-{i}", f"{PREFIX}F{tag}-{i}", f"{PREFIX}F{tag}-{rnd.randrange(max(i, 1))}"
        for kind, who, amount in (("referrer", sponsor, 1000), ("friend", friend, 500)):
            line = Line(f"{RULE}:{order}:{kind}:{who}", order, kind, who, amount, "USD", "approved", at,
                        at + timedelta(days=30))
            out.append((line, {**rewards_service._row(line, rewards_service._state(line)),
                               "bucket": bucket_of(who, buckets)}))
    return out


# The service's writes make their rows in the writer, as in a run; the other layouts
# prepare a part's parameters outside the timed writes.
def as_lines(part, run_id):
    mine = [line for line, _ in part]
    return lambda tx: rewards_service.RewardsService._write_lines(tx, mine, rewards_service.CREATE, RULE, 1, run_id)


def as_merged_lines(part, run_id):
    mine = [line for line, _ in part]
    return lambda tx: rewards_service.RewardsService._write_lines(tx, mine, rewards_service.MERGE, RULE, 1, run_id)


def as_lines_without_totals(part, run_id):
    rows = [row for _, row in part]
    return lambda tx: tx.run("rewards/create_lines", rule_id=RULE, rule_version=1, run_id=run_id, lines=rows)


def as_unindexed_nodes(part, run_id):
    rows = [row for _, row in part]
    return lambda tx: tx.run("bench/layout_line_nodes", rule_id=RULE, run_id=run_id, lines=rows)


def member(pair) -> str:
    """The member of a (line, row) pair."""
    return pair[0].beneficiary_id


def bucket(pair) -> int:
    """The member's bucket of a (line, row) pair."""
    return pair[1]["bucket"]


def grouped(part, group) -> dict:
    """A part's lines, by ``group`` of their pair."""
    mine = defaultdict(list)
    for pair in part:
        mine[group(pair)].append(pair)
    return mine


def as_lists(pairs, total_fields: tuple[str, ...]) -> dict:
    """Lines as a list per field (but the member), and their totals by ``total_fields``
    as lists too."""
    rows = [row for _, row in pairs]
    held = totals.deltas([rewards_service._counted(line) for line, _ in pairs], [])
    return {**{PLURAL[field]: [r[field] for r in rows] for field in PLURAL if field != "beneficiary_id"},
            **{TOTALS[field]: [d[field] for d in held] for field in total_fields},
            "total_amounts": [d["amount"] for d in held], "total_lines": [d["lines"] for d in held]}


def as_member_ledgers(part, run_id):
    ledgers = [{"member_id": member_id, **as_lists(pairs, ("currency", "status"))}
               for member_id, pairs in grouped(part, member).items()]
    return lambda tx: tx.run("bench/layout_member_ledgers", rule_id=RULE, ledgers=ledgers)


def as_batch(part, run_id):
    rows = [row for _, row in part]
    columns = {PLURAL[field]: [r[field] for r in rows] for field in PLURAL}
    return lambda tx: tx.run("bench/layout_batch", rule_id=RULE, run_id=run_id, **columns)


def as_member_buckets(part, run_id):
    buckets = []
    for bucket_id, pairs in grouped(part, bucket).items():
        pairs.sort(key=lambda pair: (pair[0].beneficiary_id, pair[0].at, pair[0].key))
        members = [line.beneficiary_id for line, _ in pairs]
        starts = [i for i, who in enumerate(members) if not i or members[i - 1] != who]
        buckets.append({"bucket": bucket_id, "members": [members[i] for i in starts], "starts": starts + [len(pairs)],
                        **as_lists(pairs, ("member_id", "currency", "status"))})
    # Each repeat fills its own rule's buckets, as a first run would.
    return lambda tx: tx.run("bench/layout_member_buckets", rule_id=f"{RULE}/{run_id}", buckets=buckets)


LAYOUTS = {
    "a node per line, its indexes and the member totals, created in member order (as a run writes new lines)":
        as_lines,
    "the same merged by key in time order (as runs wrote new lines until 2026-12-02)": as_merged_lines,
    "a node per line and its indexes, no totals": as_lines_without_totals,
    "a node per line, no index": as_unindexed_nodes,
    "a node per rule and member, lines as lists, totals on it": as_member_ledgers,
    "a node per rule and bucket of members, lines as lists by member, totals on it": as_member_buckets,
    "a node per 5,000 lines, lines as lists (nothing by member)": as_batch,
}


# How a layout's transactions take the lines: in this order (None: time order), and whether a
# transaction takes a group whole.
GROUPS = {as_lines: (member, False), as_member_ledgers: (member, True), as_member_buckets: (bucket, True)}


def write(services, layout, written: list[tuple[Line, dict]], run_id: str, writers: int) -> tuple[float, float]:
    """Seconds to prepare the transactions' parameters in Python (the service's own layout
    makes its rows in the writers) and to write the lines in transactions of a run's size
    (about: a ledger or bucket goes whole), by ``writers`` concurrent writers."""
    group, whole = GROUPS.get(layout, (None, False))
    parts: list[list] = [[]]
    for pair in sorted(written, key=group) if group else written:
        if len(parts[-1]) >= rewards_service.BATCH and not (whole and group(parts[-1][-1]) == group(pair)):
            parts.append([])
        parts[-1].append(pair)
    started = time.perf_counter()
    works = [layout(part, run_id) for part in parts]
    prepared = time.perf_counter()
    with ThreadPoolExecutor(max_workers=writers) as pool:
        list(pool.map(services.db.write_tx, works))
    return prepared - started, time.perf_counter() - prepared


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=100_000, help="lines per layout and repeat")
    parser.add_argument("--repeats", type=int, default=3, help="timed repeats, after one untimed")
    parser.add_argument("--writers", type=int, default=rewards_service.WRITERS, help="concurrent writers (a run's)")
    args = parser.parse_args()
    env = bench_env("bench-tracking", 18087)
    with bench_store(wipe=False, env=env) as (services, _):
        services.db.write_autocommit("bench/layout_clear", timeout=3600, rule_id=RULE, prefix=PREFIX)
        services.db.write("bench/layout_ledger_unique")
        services.db.write("bench/layout_bucket_unique")
        header("bench_reward_layouts", lines_per_repeat=args.lines, repeats=args.repeats, writers=args.writers,
               reward_lines_in_store=services.db.read("bench/count_reward_lines")[0]["n"])
        rnd = random.Random(42)
        seconds: dict[str, list[float]] = defaultdict(list)
        preparing: dict[str, list[float]] = defaultdict(list)
        for repeat in range(args.repeats + 1):  # layouts take turns, so that drift is shared
            for n, (name, layout) in enumerate(LAYOUTS.items()):
                prepared, took = write(services, layout, lines(args.lines, repeat * 10 + n, rnd), f"run-{repeat}",
                                       args.writers)
                if repeat:
                    seconds[name].append(took)
                    preparing[name].append(prepared)
        services.db.write_autocommit("bench/layout_clear", timeout=3600, rule_id=RULE, prefix=PREFIX)
        services.db.write("bench/layout_drop_ledger_unique")
        services.db.write("bench/layout_drop_bucket_unique")
        floor = statistics.median(seconds[next(iter(LAYOUTS))])
        for name, took in seconds.items():
            per_line = statistics.median(took) / args.lines
            prepared = statistics.median(preparing[name]) / args.lines
            print(f"{name}: {per_line * 1e6:.1f} µs a line (median of {len(took)}), "
                  f"{per_line * FIRST_RUN_LINES:.0f} s for a first run's {FIRST_RUN_LINES:,} lines, "
                  f"{statistics.median(took) / floor:.2f}× the layout stored now; "
                  f"its parameters made beforehand in Python: {prepared * 1e6:.1f} µs a line")


if __name__ == "__main__":
    main()
