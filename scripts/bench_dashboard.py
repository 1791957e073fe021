"""The dashboard on the 1M-member network: a member with 10,000 direct recruits expanded
in the genealogy (the first 100 drawn, then "more…"), the server's page of recruits over
HTTP beside the same query through the driver, and each page's first paint and time until
its data is shown, in Debian's Chromium (headless) against graphsvc under gunicorn."""

from __future__ import annotations

import argparse
import io
import shutil
import statistics
import time

from benchlib import ROOT, Service, bench_env, bench_store, first_load, fmt, header, percentiles

from graphsvc.domain import ADMIN_ROLE
from graphsvc.network.generator import generate

WIDE = "WIDE"  # the member with many direct recruits, added under M0000001
PAGES = ("overview", "genealogy", "vip", "compliance", "risk", "runs")


def _browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service as Driver

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000"):
        options.add_argument(argument)
    return webdriver.Chrome(options=options, service=Driver(shutil.which("chromedriver")))


def _until(driver, script: str, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = driver.execute_script(script)
        if value:
            return value
        time.sleep(0.005)
    raise TimeoutError(script)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--recruits", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    env = bench_env("bench-tracking", 18087)  # the 1M store bench_tracking leaves (loaded here when empty)
    with bench_store(wipe=False, env=env) as (services, server):
        if not services.db.read("network/any_member"):
            data = ROOT / "var" / "bench" / f"data-{args.members}-42"
            if not (data / "orders.csv").exists():
                generate(args.members, data, seed=42)
            first_load(services, server, data)
        if not services.db.read("network/member_exists", id=WIDE):
            rows = "".join(f"{WIDE}-{i:06d},{WIDE},2025-06-01T00:00:00Z,active,DE\n" for i in range(args.recruits))
            services.importer.import_members(io.StringIO("id,sponsor_id,joined_at,status,country\n"
                                                         f"{WIDE},M0000001,2025-05-01T00:00:00Z,active,DE\n" + rows))
        header("bench_dashboard", members=args.members, direct_recruits_of_the_member=args.recruits)
        key, _ = services.access.create_key(ADMIN_ROLE)
        with Service(env=env) as service:
            path = f"/api/v1/members/{WIDE}/downline?depth=1&limit=100"
            auth = {"Authorization": f"Bearer {key}"}
            samples = [service.get(path, auth)[1] for _ in range(args.repeats * 5)]
            floor = []
            for _ in range(args.repeats * 5):
                started = time.perf_counter()
                services.network.downline(WIDE, 1, 100, None)
                floor.append(time.perf_counter() - started)
            print(f"server: the first 100 of {args.recruits:,} recruits over HTTP {fmt(percentiles(samples))}; "
                  f"the service call alone (no HTTP) median {statistics.median(floor) * 1000:.1f} ms")
            url = f"http://127.0.0.1:{service.port}"
            driver = _browser()
            try:
                driver.get(url + "/ui/sign-in")
                driver.find_element("id", "key").send_keys(key)
                driver.find_element("css selector", "form.sign-in button").click()
                _until(driver, "return location.pathname === '/ui/overview'")
                expand, more = [], []
                for _ in range(args.repeats):
                    started = time.perf_counter()
                    driver.get(url + f"/ui/genealogy?member={WIDE}")
                    _until(driver, "return window.graphsvcTree && window.graphsvcTree.nodes().length > 100")
                    expand.append(time.perf_counter() - started)
                    started = time.perf_counter()
                    driver.execute_script("const more = window.graphsvcTree.nodes('.more')[0]; more.emit('tap')")
                    _until(driver, "return window.graphsvcTree.nodes().length > 200")
                    more.append(time.perf_counter() - started)
                print(f"genealogy of {WIDE} ({args.recruits:,} recruits), from navigation to its first 100 recruits "
                      f"drawn: {fmt(percentiles(expand))}")
                print(f"  'more…' to the next 100 drawn: {fmt(percentiles(more))}")
                for page in PAGES:
                    paints, ready = [], []
                    for _ in range(max(3, args.repeats // 4)):
                        started = time.perf_counter()
                        driver.get(url + f"/ui/{page}" + ("?member=M0000001" if page == "genealogy" else ""))
                        _until(driver, "return document.querySelectorAll('table tr').length > 1 "
                                       "|| document.querySelector('#tree canvas')", timeout=300)
                        ready.append(time.perf_counter() - started)
                        paints.append(_until(driver, "const p = performance.getEntriesByName('first-contentful-paint');"
                                                     " return p.length ? p[0].startTime : 0") / 1000)
                    print(f"page {page}: first contentful paint {fmt(percentiles(paints))}; "
                          f"data shown {fmt(percentiles(ready))}")
            finally:
                driver.quit()


if __name__ == "__main__":
    main()
