"""Load benchmark: 70% downline pages, 20% member reads, 10% upline, over HTTP."""

from __future__ import annotations

import argparse
import random
import subprocess

from benchlib import ROOT, Service, bench_env, bench_store, header

from graphsvc.network.generator import generate

LUA = """
local ids = {}
for line in io.lines("%(ids)s") do ids[#ids + 1] = line end
local auth = "Bearer %(key)s"
request = function()
  local id = ids[math.random(#ids)]
  local r = math.random(100)
  local path
  if r <= 70 then path = "/api/v1/members/" .. id .. "/downline?depth=5&limit=50"
  elseif r <= 90 then path = "/api/v1/members/" .. id
  else path = "/api/v1/members/" .. id .. "/upline?levels=20" end
  return wrk.format("GET", path, {["Authorization"] = auth})
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%%d duration_s=%%.2f non2xx=%%d errors=%%d p50_ms=%%.2f p99_ms=%%.2f\\n",
    summary.requests, summary.duration / 1e6, summary.errors.status, summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""


def _wrk(port: int, script, connections: int, seconds: int) -> dict:
    """One bounded wrk run; the figures its script prints."""
    result = subprocess.run(["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "--latency",
                             "-s", str(script), f"http://127.0.0.1:{port}"],
                            capture_output=True, text=True, check=True)
    line = next(l for l in result.stdout.splitlines() if l.startswith("RESULT"))
    return dict(kv.split("=") for kv in line.split()[1:])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--connections", type=int, nargs="+", default=[4, 8, 16],
                        help="one measurement per number of concurrent connections")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--reuse", action="store_true", help="keep the network imported by an earlier run")
    args = parser.parse_args()
    env = bench_env("bench-load", 17797)
    data = ROOT / "var" / "bench-load" / f"data-{args.members}"
    if not (data / "members.csv").exists():
        generate(args.members, data, seed=3, orders_per_member=0)
    with bench_store(wipe=not args.reuse, env=env) as (services, server):
        if not args.reuse:
            with open(data / "members.csv", newline="") as f:
                services.importer.import_members(f)
        key, _ = services.access.create_key("admin")
        ids = [r["id"] for r in services.db.read("bench/member_ids")]
        sample = random.Random(1).sample(ids, min(20_000, len(ids)))
        (data / "ids.txt").write_text("\n".join(sample) + "\n")
        (data / "mix.lua").write_text(LUA % {"ids": data / "ids.txt", "key": key})
        header("bench_load", members=len(ids), workers=args.workers, threads=args.threads,
               seconds=args.seconds, mix="70% downline (depth 5, 50 per page), 20% member, 10% upline")
        with Service(workers=args.workers, threads=args.threads, env=env) as service:
            # Neo4j compiles its query plans and the JVM its hot paths during the first minute
            # after a start: measure the steady state.
            _wrk(service.port, data / "mix.lua", connections=8, seconds=60)
            for connections in args.connections:
                fields = _wrk(service.port, data / "mix.lua", connections, args.seconds)
                rps = int(fields["requests"]) / float(fields["duration_s"])
                print(f"{connections:>3} connections: {rps:,.0f} req/s, p50 {float(fields['p50_ms']):.1f} ms, "
                      f"p99 {float(fields['p99_ms']):.1f} ms ({fields['requests']} requests in "
                      f"{fields['duration_s']} s, {fields['non2xx']} non-2xx, {fields['errors']} socket errors)")


if __name__ == "__main__":
    main()
