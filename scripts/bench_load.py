"""Load benchmark: 70% downline pages, 20% member reads, 10% upline, over HTTP."""

from __future__ import annotations

import argparse
import random
import subprocess

from benchlib import ROOT, Service, bench_env, fresh_services, header

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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    env = bench_env("bench-load", 17797)
    data = ROOT / "var" / "bench-load" / f"data-{args.members}"
    if not (data / "members.csv").exists():
        generate(args.members, data, seed=3, orders_per_member=0)
    services, server = fresh_services(wipe=True, env=env)
    try:
        with open(data / "members.csv", newline="") as f:
            services.importer.import_members(f)
        key, _ = services.access.create_key("admin")
        ids = [r["id"] for r in services.db.read("bench/member_ids")]
        sample = random.Random(1).sample(ids, min(20_000, len(ids)))
        (data / "ids.txt").write_text("\n".join(sample) + "\n")
        (data / "mix.lua").write_text(LUA % {"ids": data / "ids.txt", "key": key})
        header("bench_load", members=len(ids), workers=args.workers, connections=args.connections,
               seconds=args.seconds, mix="70% downline (depth 5, 50 per page), 20% member, 10% upline")
        service = Service(workers=args.workers, env=env)
        try:
            subprocess.run(["wrk", "-t2", "-c8", "-d5s", "-s", str(data / "mix.lua"),
                            f"http://127.0.0.1:{service.port}"], capture_output=True)  # warm-up
            result = subprocess.run(["wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds}s", "--latency",
                                     "-s", str(data / "mix.lua"), f"http://127.0.0.1:{service.port}"],
                                    capture_output=True, text=True, check=True)
        finally:
            service.stop()
        line = next(l for l in result.stdout.splitlines() if l.startswith("RESULT"))
        fields = dict(kv.split("=") for kv in line.split()[1:])
        rps = int(fields["requests"]) / float(fields["duration_s"])
        print(f"throughput: {rps:,.0f} req/s over {fields['duration_s']} s ({fields['requests']} requests, "
              f"{fields['non2xx']} non-2xx, {fields['errors']} socket errors)")
        print(f"latency: p50 {float(fields['p50_ms']):.1f} ms, p99 {float(fields['p99_ms']):.1f} ms")
    finally:
        services.close()
        server.stop(echo=lambda _: None)


if __name__ == "__main__":
    main()
