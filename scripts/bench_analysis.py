"""Analysis benchmark: projection, influence, rings, cycles, write-back and the
compliance run, with PageRank and the ring components timed against scipy."""

from __future__ import annotations

import argparse
import resource
import time

import networkx as nx
import numpy as np
import scipy.sparse as sp
from benchlib import ROOT, bench_store, header
from scipy.sparse.csgraph import connected_components

from graphsvc.analysis import cycles, influence, rings
from graphsvc.periods import parse_instant
from graphsvc.analysis_runs.projection import project


def timed(label, fn, *args, **kwargs):
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    elapsed = time.perf_counter() - started
    print(f"{label}: {elapsed:.2f} s")
    return result, elapsed


def scipy_pagerank(G: nx.DiGraph, personal: dict, alpha=0.85, tol=1e-6, max_iter=100):
    """The same PageRank as networkx's, written directly on a scipy CSR matrix."""
    nodes = list(G)
    A = nx.to_scipy_sparse_array(G, nodelist=nodes, weight=None, dtype=float, format="csr")
    out = np.asarray(A.sum(axis=1)).ravel()
    inv = np.divide(1.0, out, out=np.zeros_like(out), where=out != 0)
    P = sp.diags(inv) @ A
    p = np.array([personal[n] for n in nodes], dtype=float)
    p /= p.sum()
    dangling = out == 0
    x = p.copy()
    for _ in range(max_iter):
        last = x
        x = alpha * (x @ P + x[dangling].sum() * p) + (1 - alpha) * p
        if np.abs(x - last).sum() < len(nodes) * tol:
            break
    return dict(zip(nodes, x))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=1_000_000, help="which bench_network data set")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--from", dest="start", default="2023-01-01", help="compliance period (default: every order)")
    parser.add_argument("--to", dest="end", default="2026-01-01")
    args = parser.parse_args()
    data = ROOT / "var" / "bench" / f"data-{args.members}-{args.seed}"
    with bench_store(wipe=False) as (services, server):
        db = services.db
        if not db.read("bench/count_identifier_links")[0]["n"]:
            started = time.perf_counter()
            with open(data / "identifiers.csv", newline="") as f:
                summary = services.importer.import_identifiers(f)
            elapsed = time.perf_counter() - started
            print(f"(setup) import identifiers: {summary.rows:,} rows in {elapsed:.0f} s = {summary.rows / elapsed:,.0f} rows/s")
        header("bench_analysis", members=db.read("bench/count_members")[0]["n"],
               identifier_links=db.read("bench/count_identifier_links")[0]["n"])

        projection, t_project = timed("projection (members, referrals, sales, identifiers)", project, db, identifiers=True)
        G = projection.referrals
        components, t_infl = timed("influence components (subtree sums + pagerank)", influence.influence_components, G)
        scores, _ = timed("influence scores and tiers", lambda: influence.tiers(influence.influence_scores(components)))
        uses = projection.identifiers
        linked, t_link = timed("ring links (sparse products over the uses; noise and farms per kind)",
                               rings.link_members, uses, sponsorships=projection.sponsorships())
        candidates, t_cand = timed("ring candidates (scipy components over the links)", rings.candidate_rings, linked)
        _, t_cyc = timed("cycles and multiple sponsors", lambda: (cycles.referral_cycles(G), cycles.multiple_sponsors(G)))
        print(f"candidate rings: {len(candidates):,}")

        personal = {n: 1.0 + sum(G.nodes[n].get("sales", {}).values()) for n in G}  # one currency here
        R = G.reverse(copy=False)
        _, t_nx_pr = timed("networkx pagerank", nx.pagerank, R, personalization=personal)
        _, t_sp_pr = timed("scipy pagerank (same iteration)", scipy_pagerank, R, personal)
        # The baseline: scipy's components on the same uses as a prebuilt member-identifier CSR.
        n, k = uses.members, len(uses.kinds)
        print(f"identifier uses: {len(uses.member):,} links of {n:,} members to {k:,} shared identifiers")
        ones = np.ones(len(uses.member), dtype=np.int8)
        U = sp.coo_array((ones, (uses.member, n + uses.identifier)), shape=(n + k, n + k)).tocsr()
        _, t_sp_cc = timed("scipy connected components (member-identifier links, CSR built beforehand)",
                           lambda: connected_components(U, directed=False))
        print(f"ratio networkx / scipy pagerank: {t_nx_pr / t_sp_pr:.2f}x")
        print(f"ratio graphsvc ring components (links + candidates) / scipy components: "
              f"{(t_link + t_cand) / t_sp_cc:.2f}x; candidates alone {t_cand / t_sp_cc:.2f}x")
        try:
            import igraph  # noqa: F401
            print("igraph: installed but not timed")
        except ImportError:
            print("igraph: not installed")
        del projection, components, linked, candidates, uses, U, R, G

        run = services.analysis.create_run("all")
        timed("analyze all, end to end (projection, compute, write-back)", services.analysis.execute, run["id"])
        print(f"analyze all status: {services.analysis.get_run(run['id'])['status']}")
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
