"""The dashboard in Debian's Chromium, headless, driven by Selenium against the service
on a real port: sign in, search a member, expand two levels and page "more…", open a
statement, a ring and the compliance rules, sign out; an app key kept to its subtree.
What each page shows is checked against the API's own answers; every page is
screenshot into var/test/screenshots; no page logs a console error."""

import os
import shutil
import threading
import time

import pytest
from werkzeug.serving import make_server

from tests.conftest import post_csv

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
if not (CHROMIUM and CHROMEDRIVER):
    if os.environ.get("CI"):
        raise RuntimeError("the browser tests need Debian's chromium and chromium-driver (scripts/setup installs them)")
    pytest.skip("chromium and chromedriver are not installed (scripts/setup installs them as root)",
                allow_module_level=True)

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

# R founded the programme; 230 direct recruits (three pages of 100), the first of whom, K000,
# recruited three.  X1 and X2 share a card and X1 sponsored X2: a ring.
RECRUITS = 230
MEMBERS = "id,sponsor_id,joined_at,status,country\nR,,2024-01-01T00:00:00Z,active,US\n" + "".join(
    f"K{i:03d},R,2024-01-02T{i // 60 % 24:02d}:{i % 60:02d}:00Z,{'inactive' if i % 7 == 3 else 'active'},DE\n"
    for i in range(RECRUITS)) + "".join(f"G{i},K000,2024-01-05T00:00:00Z,active,FR\n" for i in range(3)) + (
    "X1,R,2024-02-01T00:00:00Z,active,US\nX2,X1,2024-02-01T05:00:00Z,active,US\n")
ORDERS = "id,seller_id,buyer_id,amount,currency,kind,at,status,customer_ref\n" + "".join(
    f"O{i},G{i % 3},,{20 + i}.00,EUR,retail,2024-03-{1 + i:02d}T10:00:00Z,paid,c{i}\n" for i in range(6))
SCREENSHOTS = "screenshots"


@pytest.fixture()
def live(app, admin, services, settings):
    """The app on a real port with the test data, a finished rings run and commission run."""
    client = app.test_client()
    assert post_csv(client, "members", MEMBERS, admin).status_code == 200
    assert post_csv(client, "orders", ORDERS, admin).status_code == 200
    assert post_csv(client, "identifiers", "member_id,kind,value\nX1,card,4111-9\nX2,card,4111-9\n",
                    admin).status_code == 200
    services.analysis.execute(services.analysis.create_run("rings")["id"])
    services.commissions.put_plan("P", ["0.10", "0.05"], True, ["retail"])
    run = services.commissions.run("P", "2024-03-01", "2024-04-01")
    services.rewards.put_rule("W", {"referrer": {"flat": {"EUR": "5.00"}}, "milestones": [
        {"referrals": 3, "badge": "starter", "reward": {"EUR": "7.00"}}]})
    services.rewards.run("W", "2024-04-01")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"url": f"http://127.0.0.1:{server.server_port}", "client": client, "run": run}
    server.shutdown()


@pytest.fixture()
def browser(settings):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.shots = settings.var_dir / SCREENSHOTS
    driver.shots.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()


def _wait(driver, condition, timeout=15):
    return WebDriverWait(driver, timeout).until(condition)


def _rows(driver, table_id: str) -> list[list[str]]:
    """A table's rows as the page shows them, read in one step (pages redraw tables)."""
    read = "return [...document.querySelectorAll(`#${arguments[0]} tr`)].slice(1)" \
           ".map(r => [...r.querySelectorAll('td')].map(td => td.innerText))"
    return _wait(driver, lambda d: d.execute_script(read, table_id))


def _console_errors(driver) -> list[str]:
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def _shot(driver, name: str) -> None:
    driver.save_screenshot(str(driver.shots / f"{name}.png"))


def _sign_in(driver, url: str, key: str) -> None:
    driver.get(url + "/")
    _wait(driver, ec.presence_of_element_located((By.ID, "key"))).send_keys(key)
    driver.find_element(By.CSS_SELECTOR, "form.sign-in button").click()


def _tree_nodes(driver) -> set[str]:
    return set(driver.execute_script("return window.graphsvcTree.nodes().map(n => n.id())"))


def _tap(driver, node_id: str) -> None:
    driver.execute_script("window.graphsvcTree.getElementById(arguments[0]).emit('tap')", node_id)


def test_a_manager_signs_in_and_works_every_page(live, browser, admin):
    url, api = live["url"], live["client"]
    key = admin["Authorization"].removeprefix("Bearer ")
    _sign_in(browser, url, "gsk_wrong_key")
    assert "unknown or revoked" in _wait(browser, ec.presence_of_element_located((By.CSS_SELECTOR, ".sign-in .error"))).text
    browser.get_log("browser")  # the refused sign-in's 401 is expected: start the console clean
    _sign_in(browser, url, key)
    _wait(browser, ec.url_to_be(url + "/ui/overview"))
    runs = _rows(browser, "commission-runs")
    assert runs[0][1:4] == ["P v1", "2024-03-01 – 2024-04-01", "complete"]
    _shot(browser, "overview")

    # Genealogy: search, the first 100 recruits, "more…" twice, then a second level.
    browser.get(url + "/ui/genealogy")
    search = _wait(browser, ec.presence_of_element_located((By.ID, "q")))
    search.send_keys("K00")
    _wait(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#matches a")) >= 8)
    search.clear()
    search.send_keys("R")
    browser.find_element(By.CSS_SELECTOR, "#search button").click()
    _wait(browser, lambda d: d.execute_script("return window.graphsvcTree ? window.graphsvcTree.nodes().length : 0") > 100)
    first = api.get("/api/v1/members/R/downline?depth=1&limit=100", headers=admin).get_json()
    shown = _tree_nodes(browser)
    assert {i["id"] for i in first["items"]} <= shown and len(shown) == 1 + 100 + 1  # R, a page, "more…"
    for pages in (2, 3):
        more = next(n for n in _tree_nodes(browser) if n.startswith("more:R:"))
        _tap(browser, more)
        _wait(browser, lambda d, pages=pages: len([n for n in _tree_nodes(d) if not n.startswith("more:")])
              == 1 + min(100 * pages, RECRUITS + 1))
    assert not any(n.startswith("more:") for n in _tree_nodes(browser))  # 231 recruits: no fourth page
    _tap(browser, "K000")
    _wait(browser, lambda d: {"G0", "G1", "G2"} <= _tree_nodes(d))
    levels = _rows(browser, "levels")
    assert levels == [["1", f"{RECRUITS + 1}"], ["2", "4"]]  # K000's three and X1's X2
    assert "R" in browser.find_element(By.ID, "breadcrumb").text
    _shot(browser, "genealogy")

    # A member's page: profile and a statement, as the API answers them.
    browser.get(url + "/ui/members/K000")
    _wait(browser, lambda d: "Downline" in d.find_element(By.ID, "profile").text)
    statement = api.get(f"/api/v1/members/K000/commissions?run={live['run']['id']}&limit=100", headers=admin).get_json()
    lines = _rows(browser, "statement")
    assert [(r[0], r[3]) for r in lines] == [(l["order_id"], f"{l['amount']} {l['currency']}") for l in statement["lines"]]
    assert len(lines) == 6  # each of G0..G2's six orders pays K000 at level 1
    # Rewards: K000's third recruit reached the milestone: 7.00 EUR approved and the badge.
    rewards = api.get("/api/v1/members/K000/rewards", headers=admin).get_json()
    assert _rows(browser, "balances") == [["EUR", "—", "—", rewards["balances"][0]["approved"], "—", "—", "—", "—"]]
    assert rewards["balances"][0]["approved"] == "7.00"
    assert browser.find_element(By.ID, "badges").text == "Badges: starter (2024-01-05)"
    _shot(browser, "member")

    # Risk: the ring, opened as a small graph with its members.
    browser.get(url + "/ui/risk")
    rings = api.get("/api/v1/rings", headers=admin).get_json()["items"]
    assert len(_rows(browser, "rings")) == len(rings) == 1
    browser.find_element(By.CSS_SELECTOR, "#rings a").click()
    members = _rows(browser, "ring-members")
    assert sorted(r[0] for r in members) == ["X1", "X2"]
    _shot(browser, "risk")

    # Compliance: every rule with threshold, observed value, result and source.
    browser.get(url + "/ui/compliance")
    browser.execute_script("document.getElementById('from').value = '2024-03-01';"
                           "document.getElementById('to').value = '2024-04-01'")
    browser.find_element(By.CSS_SELECTOR, "#period button").click()
    time.sleep(0.5)
    program = api.get("/api/v1/compliance/program?from=2024-03-01&to=2024-04-01", headers=admin).get_json()
    rules = _rows(browser, "rules")
    assert [r[0] for r in rules] == [c["rule"] for c in program["checks"]]
    _shot(browser, "compliance")

    browser.get(url + "/ui/vip")
    _wait(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, "table tr")) > 1)
    # This month's board: nobody joined this month, so it says so.
    assert _rows(browser, "leaderboard") == [["No approved referrals this month."]]
    _shot(browser, "vip")
    # Runs: start April's commission run from the page; it is listed as the API lists it.
    browser.get(url + "/ui/runs")
    _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#plan option"))
    browser.execute_script("document.getElementById('run-from').value = '2024-04-01';"
                           "document.getElementById('run-to').value = '2024-05-01'")
    browser.find_element(By.CSS_SELECTOR, "#start-commissions button").click()
    _wait(browser, lambda d: len(_rows(d, "commission-runs")) == 2)
    listed = api.get("/api/v1/commission-runs", headers=admin).get_json()["items"]
    assert [r[0] for r in _rows(browser, "commission-runs")] == [r["id"][:8] for r in listed]
    assert _rows(browser, "commission-runs")[0][2:4] == ["2024-04-01 – 2024-05-01", "complete"]
    _shot(browser, "runs")

    # Programme KPIs: a KPI run for March started from Runs; the page opens on its period,
    # served from it, and shows what the API answers.
    Select(browser.find_element(By.ID, "kind")).select_by_visible_text("kpis")
    browser.execute_script("document.getElementById('analysis-from').value = '2024-03-01';"
                           "document.getElementById('analysis-to').value = '2024-04-01'")
    browser.find_element(By.CSS_SELECTOR, "#start button").click()
    _wait(browser, lambda d: any(r[1:3] == ["kpis", "complete"] for r in _rows(d, "analysis-runs")), timeout=60)
    kpis = api.get("/api/v1/kpis?from=2024-03-01&to=2024-04-01&by=month", headers=admin).get_json()
    # Active: R, the recruits but every seventh from K003, G0..G2, X1 and X2.
    assert kpis["run_id"] and kpis["headline"]["active_members"] == 1 + sum(i % 7 != 3 for i in range(RECRUITS)) + 5
    browser.get(url + "/ui/kpis")
    _wait(browser, lambda d: d.find_element(By.ID, "source").text == f"from KPI run {kpis['run_id'][:8]}")
    assert f"Active members at the end\n{kpis['headline']['active_members']}" in \
        browser.find_element(By.ID, "kpi-figures").text
    # Nobody joined in March: the ratios say why they are empty.
    assert "— (no one joined in the period)" in browser.find_element(By.ID, "kpi-figures").text
    assert [r[0] for r in _rows(browser, "groups")] == ["2024-03"]
    funnel = browser.find_element(By.ID, "funnel").text
    assert "Clicks\n0" in funnel and "0 – 1 clicks, visitors or members" in funnel
    _shot(browser, "kpis")
    browser.get(url + "/ui/overview")
    _wait(browser, lambda d: "Participation, 2024-03-01 – 2024-04-01" in d.find_element(By.ID, "figures").text)
    assert _console_errors(browser) == []

    browser.find_element(By.CSS_SELECTOR, ".sign-out button").click()
    _wait(browser, ec.url_to_be(url + "/ui/sign-in"))
    browser.get(url + "/ui/overview")
    assert browser.current_url == url + "/ui/sign-in"


def test_an_app_key_reaches_its_own_subtree_only(live, browser, key_for):
    url = live["url"]
    _sign_in(browser, url, key_for("app", "K000")["Authorization"].removeprefix("Bearer "))
    _wait(browser, ec.url_to_be(url + "/ui/members/K000"))
    _wait(browser, lambda d: "Downline" in d.find_element(By.ID, "profile").text)
    nav = browser.find_element(By.TAG_NAME, "nav").text
    assert "Genealogy" in nav and "Risk" not in nav and "Compliance" not in nav
    assert _console_errors(browser) == []
    _shot(browser, "app-member")
    browser.get(url + "/ui/members/R")  # above it: the API answers 404, the page says so
    error = _wait(browser, ec.visibility_of_element_located((By.ID, "error")))
    assert "does not exist" in error.text
