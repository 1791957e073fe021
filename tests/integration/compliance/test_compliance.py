"""Compliance scenarios with every figure worked out by hand in this file."""

import csv
import time
from decimal import Decimal
from html.parser import HTMLParser

import pytest

from tests.conftest import as_older_ledger, post_csv, run_cli

M_HEAD = "id,sponsor_id,joined_at,status,country\n"
O_HEAD = "id,seller_id,buyer_id,amount,currency,kind,at,status,customer_ref\n"
PERIOD = "from=2024-01-01&to=2024-02-01"


def _setup(client, admin, members, orders, rates, kinds):
    assert post_csv(client, "members", M_HEAD + members, admin).status_code == 200
    assert post_csv(client, "orders", O_HEAD + orders, admin).status_code == 200
    plan = {"rates": rates, "compression": False, "commissionable_kinds": kinds}
    assert client.put("/api/v1/plans/P", json=plan, headers=admin).status_code == 200
    run = client.post("/api/v1/commission-runs", json={"plan_id": "P", "from": "2024-01-01", "to": "2024-02-01"},
                      headers=admin)
    assert run.status_code == 201


# F -> A -> {B, C}.  A sells B and C starter kits and stock; little reaches real customers.
BURNLOUNGE_MEMBERS = """F,,2023-01-01T00:00:00Z,active,US
A,F,2023-02-01T00:00:00Z,active,US
B,A,2024-01-02T00:00:00Z,active,US
C,A,2024-01-03T00:00:00Z,active,US
"""
BURNLOUNGE_ORDERS = """K1,A,B,500.00,USD,enrollment,2024-01-02T10:00:00Z,paid,
K2,A,C,500.00,USD,enrollment,2024-01-03T10:00:00Z,paid,
I1,A,B,300.00,USD,inventory,2024-01-05T10:00:00Z,paid,
R1,A,,100.00,USD,retail,2024-01-06T10:00:00Z,paid,cust-1
P1,A,C,50.00,USD,personal,2024-01-07T10:00:00Z,paid,
X1,A,,999.00,USD,retail,2024-01-08T10:00:00Z,refunded,cust-2
"""


@pytest.fixture()
def burnlounge(client, admin):
    # F, A's only upline member, earns 20% of every order A sells: 200 + 200 + 60 + 20 + 10 = 290.
    _setup(client, admin, BURNLOUNGE_MEMBERS, BURNLOUNGE_ORDERS, ["0.20", "0.10"],
           ["retail", "personal", "enrollment", "inventory"])


def _checks(body):
    return {c["rule"]: c for c in body["checks"]}


def test_burnlounge_like_programme_fails_the_recruitment_rules(client, admin, burnlounge):
    body = client.get(f"/api/v1/compliance/program?{PERIOD}", headers=admin).get_json()
    # The refunded order X1 is excluded.
    assert body["volumes"] == {"retail": "100.00", "personal": "50.00", "enrollment": "1000.00", "inventory": "300.00"}
    assert body["commissions_by_kind"] == {"retail": "20.00", "personal": "10.00", "enrollment": "200.00",
                                           "inventory": "60.00"}
    checks = _checks(body)
    expected = {
        "koscot_recruitment_rewards": (200 / 290, False),
        "herbalife_end_user_sales": (150 / 1450, False),
        "herbalife_retail_rewards": (20 / 290, False),
        "ucpd_primarily_recruitment": (260 / 290, False),
        "vemma_nonparticipant_majority": (1.0, False),   # F's only member-month: retail 100 of 1450
        "amway_retail_customers": (1.0, False),          # F sold to no retail customer
        "income_net_loss": (0.5, True),                  # B bought 800, C 550, neither earned
    }
    for rule, (observed, passed) in expected.items():
        assert checks[rule]["observed"] == pytest.approx(observed, abs=1e-6), rule
        assert checks[rule]["passed"] is passed, rule
        assert checks[rule]["source"]
    assert checks["vemma_nonparticipant_majority"]["listed"] == [
        {"member_id": "F", "month": "2024-01", "retail": "100.00", "volume": "1450.00"}]
    assert body["end_user_commission_share"] == pytest.approx(30 / 290, abs=1e-6)
    assert body["income"] == {"participants": 4, "with_zero_commission": 0.75, "median_commission": "0.00",
                              "top_1pct_share": 1.0, "net_loss_share": 0.5}


def test_a_run_migrated_from_the_older_ledger_shape_has_the_same_compliance_figures(client, admin, burnlounge,
                                                                                    cypher, settings):
    before = client.get(f"/api/v1/compliance/program?{PERIOD}", headers=admin).get_json()
    assert before["commissions_by_kind"]["enrollment"] == "200.00"
    as_older_ledger(cypher)
    migrated = run_cli(settings, "db", "migrate")
    assert migrated.returncode == 0 and "Converted 1 commission run(s)" in migrated.stdout, migrated.stderr
    after = client.get(f"/api/v1/compliance/program?{PERIOD}", headers=admin).get_json()
    assert after == before
    # Interrupted after converting, before removing the older lines: a rerun only removes them.
    as_older_ledger(cypher)
    cypher("MATCH (r:CommissionRun) SET r.converted_at = datetime()")
    again = run_cli(settings, "db", "migrate")
    assert again.returncode == 0, again.stderr
    assert cypher("MATCH (c) WHERE c:Commission OR c:CommissionTotal RETURN count(c) AS n") == [{"n": 0}]
    assert cypher("MATCH (p:StatementPart) RETURN count(p) AS n") == [{"n": 0}]  # nothing converted twice
    assert run_cli(settings, "db", "migrate").stdout.count("Converted") == 0  # and then nothing to do


def test_member_branch_figures(client, admin, burnlounge):
    a = client.get(f"/api/v1/compliance/members/A?{PERIOD}", headers=admin).get_json()
    assert a["branch_size"] == 3
    assert a["volumes"] == {"retail": "100.00", "personal": "50.00", "enrollment": "1000.00", "inventory": "300.00"}
    assert a["recruitment_ratio"] == pytest.approx(1300 / 150, abs=1e-6)
    assert a["distinct_retail_customers"] == 1
    assert a["flags"] == ["recruitment_exceeds_end_user", "retail_minority", "fewer_than_10_retail_customers"]
    b = client.get(f"/api/v1/compliance/members/B?{PERIOD}", headers=admin).get_json()
    assert b["volumes"]["enrollment"] == "0.00" and b["recruitment_ratio"] is None and not b["recruitment_ratio_unbounded"]
    # B joined on 2024-01-02: for December it is not a participant yet.
    december = client.get("/api/v1/compliance/members/B?from=2023-12-01&to=2024-01-01", headers=admin).get_json()
    assert december["branch_size"] == 0
    assert client.get(f"/api/v1/compliance/members/NOPE?{PERIOD}", headers=admin).status_code == 404


AMWAY_MEMBERS = """F,,2023-01-01T00:00:00Z,active,US
A,F,2023-02-01T00:00:00Z,active,US
B,F,2023-03-01T00:00:00Z,active,US
"""
AMWAY_ORDERS = "".join(
    [f"RA{i},A,,100.00,USD,retail,2024-01-10T10:00:00Z,paid,a-cust-{i}\n" for i in range(10)]
    + [f"RB{i},B,,50.00,USD,retail,2024-01-11T10:00:00Z,paid,b-cust-{i}\n" for i in range(12)]
    + [f"RF{i},F,,20.00,USD,retail,2024-01-12T10:00:00Z,paid,f-cust-{i}\n" for i in range(10)]
    + ["PB1,F,B,100.00,USD,personal,2024-01-13T10:00:00Z,paid,\n"])


def test_amway_like_retail_programme_passes(client, admin):
    # F earns 10% of A's 1000 and B's 600 of retail: 160, all on retail.
    _setup(client, admin, AMWAY_MEMBERS, AMWAY_ORDERS, ["0.10"], ["retail", "personal"])
    body = client.get(f"/api/v1/compliance/program?{PERIOD}", headers=admin).get_json()
    assert body["volumes"]["retail"] == "1800.00" and body["commissions_by_kind"]["retail"] == "160.00"
    checks = _checks(body)
    assert {rule: c["passed"] for rule, c in checks.items()} == {rule: True for rule in checks}
    assert checks["herbalife_end_user_sales"]["observed"] == 1.0
    assert checks["income_net_loss"]["observed"] == pytest.approx(1 / 3, abs=1e-6)  # B bought 100, earned 0


def test_no_orders_in_the_period(client, admin, burnlounge):
    body = client.get("/api/v1/compliance/program?from=2025-01-01&to=2025-02-01", headers=admin).get_json()
    assert body["volumes"] == {k: "0.00" for k in ("retail", "personal", "enrollment", "inventory")}
    assert _checks(body)["koscot_recruitment_rewards"]["passed"] is None


class _Cells(HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows, self.row, self.in_cell, self.svg = {}, None, False, False
        self.chart_text, self.text_class = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr" and "data-rule" in attrs:
            self.row = self.rows.setdefault(attrs["data-rule"], [])
        self.in_cell = tag == "td" and self.row is not None
        self.svg |= tag == "svg" and attrs.get("id") == "income-chart"
        self.text_class = attrs.get("class") if tag == "text" and self.svg else None

    def handle_endtag(self, tag):
        if tag == "tr":
            self.row = None

    def handle_data(self, data):
        if self.in_cell and self.row is not None and data.strip():
            self.row.append(data.strip())
        if self.text_class and data.strip():
            self.chart_text.append((self.text_class, data.strip()))
            self.text_class = None


def test_html_report_shows_each_rule_with_outcome_and_source(client, admin, burnlounge, settings, tmp_path):
    response = client.get(f"/api/v1/compliance/report?{PERIOD}", headers=admin)
    assert response.status_code == 200 and response.mimetype == "text/html"
    parser = _Cells()
    parser.feed(response.get_data(as_text=True))
    assert parser.svg
    outcomes = {rule: cells[4] for rule, cells in parser.rows.items()}
    assert outcomes == {"koscot_recruitment_rewards": "fail", "herbalife_end_user_sales": "fail",
                        "herbalife_retail_rewards": "fail", "vemma_nonparticipant_majority": "fail",
                        "amway_retail_customers": "fail", "ucpd_primarily_recruitment": "fail",
                        "income_net_loss": "pass"}
    assert "Koscot" in parser.rows["koscot_recruitment_rewards"][5]
    # The income chart is labelled: axis titles with the unit, a value on every bar, deciles below.
    titles = [text for kind, text in parser.chart_text if kind == "axis-title"]
    assert titles == ["Commissions earned (USD)", "Participants by tenth of commission earned, lowest earners first"]
    values = [Decimal(text) for kind, text in parser.chart_text if kind == "value"]
    labels = [text for kind, text in parser.chart_text if kind == "label"]
    assert labels == [f"{i * 10}-{i * 10 + 10}%" for i in range(10)] and len(values) == 10
    # The bars add up to every commission paid to a participant: 20 + 10 + 200 + 60 = 290.00.
    assert sum(values) == Decimal("290.00") and values == sorted(values)
    assert [text for kind, text in parser.chart_text if kind == "tick"][-1] == str(max(values))
    out = tmp_path / "flagged.csv"
    result = run_cli(settings, "report", "compliance", "--from", "2024-01-01", "--to", "2024-02-01",
                     "--format", "csv", "--out", str(out))
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(out.open()))
    assert [r["member_id"] for r in rows] == ["A", "F"]
    assert rows[0]["recruitment_ratio"] == "8.666667" and rows[0]["enrollment"] == "1000.00"


def test_planted_branches_on_a_generated_network(tmp_path, client, admin):
    from collections import defaultdict

    from graphsvc.network.generator import generate

    generate(1500, tmp_path, seed=4, orders_per_member=3)
    # Planted: PR* (recruitment-heavy: kits and stock only), PS* (retail to many customers only).
    members, orders = [], []
    for prefix, sponsor in (("PR", "M0000007"), ("PS", "M0000008")):
        for i in range(12):
            members.append(f"{prefix}{i:02d},{prefix + '00' if i else sponsor},2024-03-01T00:00:00Z,active,US")
    for i in range(1, 12):
        orders.append(f"PRK{i},PR00,PR{i:02d},400.00,USD,enrollment,2024-03-02T00:00:00Z,paid,")
        orders.append(f"PRI{i},PR00,PR{i:02d},250.00,USD,inventory,2024-03-03T00:00:00Z,paid,")
    for i in range(12):
        for j in range(12):
            orders.append(f"PSR{i}-{j},PS{i:02d},,30.00,USD,retail,2024-03-04T00:00:00Z,paid,ps-{i}-{j}")
    for kind in ("members", "orders"):
        assert post_csv(client, kind, (tmp_path / f"{kind}.csv").read_text(), admin).status_code == 200
    assert post_csv(client, "members", M_HEAD + "\n".join(members) + "\n", admin).status_code == 200
    assert post_csv(client, "orders", O_HEAD + "\n".join(orders) + "\n", admin).status_code == 200

    period = "from=2024-01-01&to=2025-01-01"
    ranked = client.get(f"/api/v1/compliance/branches?{period}&limit=5", headers=admin).get_json()["items"]
    assert "PR00" in [b["member_id"] for b in ranked[:3]]
    retail_branch = client.get(f"/api/v1/compliance/members/PS00?{period}", headers=admin).get_json()
    assert retail_branch["flags"] == [] and retail_branch["distinct_retail_customers"] == 144

    # Branch volumes equal an independent sum over the files: orders of every member below.
    sponsor_of = {}
    with open(tmp_path / "members.csv") as f:
        for row in csv.DictReader(f):
            sponsor_of[row["id"]] = row["sponsor_id"] or None
    for line in members:
        member, sponsor = line.split(",")[:2]
        sponsor_of[member] = sponsor
    volume = defaultdict(lambda: defaultdict(int))
    with open(tmp_path / "orders.csv") as f:
        rows = list(csv.DictReader(f)) + [dict(zip(O_HEAD.strip().split(","), o.split(","))) for o in orders]
    for o in rows:
        if o["status"] != "paid" or not ("2024-01-01" <= o["at"][:10] < "2025-01-01"):
            continue
        member = o["seller_id"]
        while member is not None:
            volume[member][o["kind"]] += int(o["amount"].replace(".", ""))
            member = sponsor_of[member]
    for member in ("M0000000", "M0000007", "PR00", "M0000100"):
        body = client.get(f"/api/v1/compliance/members/{member}?{period}", headers=admin).get_json()
        assert {k: int(v.replace(".", "")) for k, v in body["volumes"].items()} == \
            {k: volume[member][k] for k in ("retail", "personal", "enrollment", "inventory")}, member


def _finished(client, admin, body):
    response = client.post("/api/v1/analysis/runs", json=body, headers=admin)
    assert response.status_code == 202, response.get_json()
    run = response.get_json()
    deadline = time.monotonic() + 120
    while run["status"] in ("queued", "running"):
        assert time.monotonic() < deadline
        time.sleep(0.2)
        run = client.get(f"/api/v1/analysis/runs/{run['id']}", headers=admin).get_json()
    return run


def test_compliance_run_stores_its_period_and_the_answers_come_from_it(client, admin, burnlounge):
    # Ten recruits under A make F's and A's branches big enough to rank (F, A, B, C and ten: 14; 13).
    recruits = "".join(f"A{i:02d},A,2024-01-04T00:00:00Z,active,US\n" for i in range(10))
    assert post_csv(client, "members", M_HEAD + recruits, admin).status_code == 200
    paths = ("program", "branches?limit=5")
    on_demand = [client.get(f"/api/v1/compliance/{p}{'&' if '?' in p else '?'}{PERIOD}", headers=admin).get_json()
                 for p in paths]
    ranked = on_demand[1]["items"]
    # Both branches hold every order: (1000 + 300) / (100 + 50), a tie broken by member id.
    assert [(b["member_id"], b["branch_size"]) for b in ranked] == [("F", 14), ("A", 13)]
    assert ranked[0]["recruitment_ratio"] == pytest.approx(1300 / 150, abs=1e-6)

    run = _finished(client, admin, {"kind": "compliance", "from": "2024-01-01", "to": "2024-02-01"})
    assert run["status"] == "complete" and run["from"].startswith("2024-01-01T00:00")
    # An order added after the run: the run's period is answered from the run, unchanged;
    # another period is computed now and sees it.
    late = "L1,A,,700.00,USD,retail,2024-01-20T10:00:00Z,paid,cust-9\n"
    assert post_csv(client, "orders", O_HEAD + late, admin).status_code == 200
    stored = [client.get(f"/api/v1/compliance/{p}{'&' if '?' in p else '?'}{PERIOD}", headers=admin).get_json()
              for p in paths]
    assert stored == on_demand
    wider = client.get("/api/v1/compliance/program?from=2024-01-01&to=2024-03-01", headers=admin).get_json()
    assert wider["volumes"]["retail"] == "800.00"


def test_compliance_run_needs_a_period_and_other_kinds_take_none(client, admin):
    for body in ({"kind": "compliance"}, {"kind": "compliance", "from": "2024-02-01", "to": "2024-01-01"},
                 {"kind": "influence", "from": "2024-01-01", "to": "2024-02-01"}):
        response = client.post("/api/v1/analysis/runs", json=body, headers=admin)
        assert response.status_code == 422, body
        assert response.content_type == "application/problem+json"


def test_a_period_in_three_currencies_is_converted_at_imported_rates(client, admin, settings, tmp_path):
    # R -> A -> B; one order in each of USD, EUR and JPY, January 2024; the plan pays 10% one level up.
    _setup(client, admin, "R,,2023-01-01T00:00:00Z,active,US\nA,R,2023-02-01T00:00:00Z,active,US\n"
                          "B,A,2023-03-01T00:00:00Z,active,US\n",
           "O1,A,,100.00,USD,retail,2024-01-05T00:00:00Z,paid,c1\n"
           "O2,A,B,50.00,EUR,personal,2024-01-06T00:00:00Z,paid,\n"
           "O3,B,,1000,JPY,retail,2024-01-07T00:00:00Z,paid,c2\n", ["0.10"], ["retail", "personal"])
    missing = client.get(f"/api/v1/compliance/program?{PERIOD}", headers=admin)
    assert missing.status_code == 422
    assert "EUR 2024-01, JPY 2024-01" in missing.get_json()["detail"]
    rates = tmp_path / "rates.csv"
    rates.write_text("currency,month,rate\nEUR,2024-01,1.10\nJPY,2024-01,0.0067\nEUR,2023-12,1.05\n")
    imported = run_cli(settings, "import", "--fx-rates", str(rates))
    assert imported.returncode == 0 and "Imported 3 exchange rates into USD" in imported.stdout, imported.stderr
    body = client.get(f"/api/v1/compliance/program?{PERIOD}", headers=admin).get_json()
    # Volumes: retail 100.00 + 1000 JPY x 0.0067 = 6.70 -> 106.70; personal 50.00 EUR x 1.10 = 55.00.
    assert body["currency"] == "USD"
    assert body["volumes"] == {"retail": "106.70", "personal": "55.00", "enrollment": "0.00", "inventory": "0.00"}
    assert body["volumes_by_currency"] == {"EUR": {"personal": "50.00"}, "JPY": {"retail": "1000"},
                                           "USD": {"retail": "100.00"}}
    # Commissions: R 10.00 USD on O1 and 5.00 EUR on O2 (5.50 USD); A 100 JPY on O3 (0.67 USD).
    assert body["commissions_by_kind"] == {"retail": "10.67", "personal": "5.50", "enrollment": "0.00",
                                           "inventory": "0.00"}
    bad = tmp_path / "bad.csv"
    bad.write_text("currency,month,rate\nXXX,2024-01,1\nEUR,2024-13,1\nEUR,2024-02,-1\n")
    refused = run_cli(settings, "import", "--fx-rates", str(bad))
    assert refused.returncode == 1 and "row 2: currency: XXX" in refused.stderr and "row 3: month" in refused.stderr
    assert "row 4: rate" in refused.stderr
