"""Analysis benchmark: projection, influence, rings, cycles, write-back and the
compliance run, with PageRank and the ring components timed against scipy."""

from __future__ import annotations

import argparse
import resource
import statistics
import time

import networkx as nx
import numpy as np
import scipy.sparse as sp
from benchlib import ROOT, bench_store, first_load, header
from scipy.sparse.csgraph import connected_components

from graphsvc.analysis import cycles, influence, rings
from graphsvc.network.generator import generate
from graphsvc.periods import parse_instant
from graphsvc.analysis_runs.projection import project


def timed(label, fn, *args, **kwargs):
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    elapsed = time.perf_counter() - started
    print(f"{label}: {elapsed:.2f} s")
    return result, elapsed


def median_time(label, fn, *args, repeats=9, **kwargs):
    """Like :func:`timed`, for steps of milliseconds: the median of ``repeats`` runs."""
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        result = fn(*args, **kwargs)
        samples.append(time.perf_counter() - started)
    elapsed = statistics.median(samples)
    print(f"{label}: median {elapsed * 1000:.1f} ms of {repeats} (min {min(samples) * 1000:.1f}, "
          f"max {max(samples) * 1000:.1f})")
    return result, elapsed


def scipy_pagerank(A: sp.csr_array, personal: np.ndarray, alpha=0.85, tol=1e-6, max_iter=100) -> np.ndarray:
    """networkx's PageRank iteration written directly on a prebuilt scipy CSR adjacency matrix."""
    out = np.asarray(A.sum(axis=1)).ravel()
    inv = np.divide(1.0, out, out=np.zeros_like(out), where=out != 0)
    P = sp.diags_array(inv) @ A
    p = personal / personal.sum()
    dangling = out == 0
    x = np.full(len(p), 1.0 / len(p))
    for _ in range(max_iter):
        last = x
        x = alpha * (x @ P + x[dangling].sum() * p) + (1 - alpha) * p
        if np.abs(x - last).sum() < len(p) * tol:
            break
    return x


def steps(db) -> None:
    """Each step of `analyze all` alone, with PageRank and the ring components beside
    their baselines."""
    p, _ = timed("projection (members, referrals, sales, identifiers)", project, db, identifiers=True)
    n = len(p.ids)
    print(f"projected: {n:,} members, {len(p.sponsor):,} referral edges, {len(p.currencies)} currencies")
    components, _ = timed("influence components (subtree sums + pagerank on arrays)",
                          influence.influence_components, p.sponsor, p.recruit, p.active, p.sales)
    timed("influence scores and tiers", lambda: influence.tiers(influence.influence_scores(components), p.ids))
    uses = p.identifiers
    linked, t_link = timed("ring links (sparse products over the uses; noise and farms per kind)",
                           rings.link_members, uses, sponsorships=(p.sponsor, p.recruit))
    candidates, t_cand = median_time("ring candidates (scipy components over the linked members)",
                                     rings.candidate_rings, linked)
    timed("cycles and multiple sponsors", lambda: (cycles.referral_cycles(p.sponsor, p.recruit, n),
                                                   cycles.multiple_sponsors(p.sponsor, p.recruit)))
    print(f"candidate rings: {len(candidates):,}")

    # PageRank three ways on the same tree: ours on the parent array, the same iteration on a
    # prebuilt scipy CSR (the baseline), and networkx on a prebuilt DiGraph.
    parent = influence.sponsor_tree(p.sponsor, p.recruit, n)
    personal = 1.0 + p.sales.sum(axis=1)  # one currency here
    _, t_ours = timed("graphsvc forest_pagerank (parent array)", influence.forest_pagerank, parent, personal)
    has = np.flatnonzero(parent >= 0)
    P = sp.coo_array((np.ones(len(has)), (has, parent[has])), shape=(n, n)).tocsr()
    _, t_sp_pr = timed("scipy pagerank (same iteration, CSR built beforehand)", scipy_pagerank, P, personal)
    R = nx.DiGraph()
    R.add_nodes_from(range(n))
    R.add_edges_from(zip(has.tolist(), parent[has].tolist()))
    _, t_nx_pr = timed("networkx pagerank (DiGraph built beforehand)", nx.pagerank, R,
                       personalization=dict(enumerate(personal.tolist())))
    print(f"ratio graphsvc / scipy pagerank: {t_ours / t_sp_pr:.2f}x; networkx / scipy: {t_nx_pr / t_sp_pr:.2f}x")
    # The baseline: scipy's components on the same uses as a prebuilt member-identifier CSR.
    k = len(uses.kinds)
    print(f"identifier uses: {len(uses.member):,} links of {n:,} members to {k:,} shared identifiers")
    ones = np.ones(len(uses.member), dtype=np.int8)
    U = sp.coo_array((ones, (uses.member, n + uses.identifier)), shape=(n + k, n + k)).tocsr()
    _, t_sp_cc = median_time("scipy connected components (member-identifier links, CSR built beforehand)",
                             connected_components, U, directed=False)
    print(f"ratio graphsvc ring component step (candidates) / scipy components: {t_cand / t_sp_cc:.2f}x; "
          f"links + candidates {(t_link + t_cand) / t_sp_cc:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=1_000_000, help="which bench_network data set")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--from", dest="start", default="2023-01-01", help="compliance period (default: every order)")
    parser.add_argument("--to", dest="end", default="2026-01-01")
    args = parser.parse_args()
    # The generated network with the planted rings, farm and chain, loaded with its identifier
    # links by a first load when the bench store is empty.
    data = ROOT / "var" / "bench" / f"data-{args.members}-{args.seed}-planted"
    with bench_store(wipe=False) as (services, server):
        db = services.db
        if not db.read("network/any_member"):
            if not (data / "identifiers.csv").exists():
                generate(args.members, data, seed=args.seed, plant=True)
            first_load(services, server, data, identifiers=True)
        header("bench_analysis", members=db.read("bench/count_members")[0]["n"],
               identifier_links=db.read("bench/count_identifier_links")[0]["n"])

        steps(db)  # its arrays are freed before the runs


        for attempt in (1, 2):
            run = services.analysis.create_run("all")
            marks = []
            started = time.perf_counter()
            finished, _ = timed(f"analyze all {attempt}, end to end (projection, compute, write-back)",
                                services.analysis.execute, run["id"],
                                lambda _, what: marks.append(f"{time.perf_counter() - started:.1f} s {what}"))
            print(f"  status {finished['status']}; steps began at: {'; '.join(marks)}; found {finished['summary']}")
        paid = db.read("bench/count_paid_orders", **{"from": parse_instant(args.start, "from"),
                                                      "to": parse_instant(args.end, "to")})[0]["n"]
        print(f"compliance period {args.start} to {args.end}: {paid:,} paid orders")
        run = services.analysis.create_run("compliance", args.start, args.end)
        timed("analyze compliance, end to end (read, all branches and programme checks, write-back)",
              services.analysis.execute, run["id"])
        print(f"analyze compliance status: {services.analysis.get_run(run['id'])['status']}")
        timed("compliance programme checks served from the run", services.compliance.program, args.start, args.end)
        timed("riskiest 20 branches served from the run", services.compliance.ranked_branches, args.start, args.end, 20)
        print(f"peak memory of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024:.1f} GiB")


if __name__ == "__main__":
    main()
