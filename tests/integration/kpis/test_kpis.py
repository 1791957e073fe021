"""Programme KPIs worked by hand on a small programme built through the API.

The programme, January and February 2025 (every amount USD):

    F (2024-06) ─┬─ A (2024-07) ─┬─ N1  click on A's winter/email link, 2025-01-10 ─── N4  click on N1's link, 02-12
                 │               ├─ N2  A's winter/instagram code, 2025-01-20
                 │               └─ N5  named sponsor, 2025-02-20 (not a referral)
                 ├─ B (2024-12) ──── N3  click on B's link, 2025-02-05
                 └─ X (2024-08, inactive)
    C (2025-01-05, no sponsor)

Clicks in the period (bots and earlier clicks left out): A's link 3 (visitors v1 twice, v2, in
January), B's 1 (v3) and N1's 1 (v4), in February.  Orders:

    O1 N1 buys 50.00 personal 01-20    O3 A sells 30.00 retail 01-25     O6 N1 buys 15.00 personal 02-15
    O2 N3 buys 20.00 enrollment 02-06  O7 N1 sells 12.00 retail 02-20    O4 N2 buys 40.00 personal 03-15
    O5 A buys 100.00 inventory 2024-12-20                                O8 N3 buys 99.00 02-07, refunded

Cost: a January commission run of 10% on retail and personal (O1, O3: 8.00) and a referrer
reward of 5.00 per friend's first order approved after 10 days (N1's O1: 01-30, N3's O2: 02-16).
"""

import re
from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser

import pytest

from tests.conftest import post_csv, run_cli

MEMBERS = """id,sponsor_id,joined_at,status,country
F,,2024-06-01T00:00:00Z,active,US
A,F,2024-07-01T00:00:00Z,active,US
B,F,2024-12-15T00:00:00Z,active,US
X,F,2024-08-01T00:00:00Z,inactive,US
C,,2025-01-05T00:00:00Z,active,US
"""
PERIOD = "from=2025-01-01&to=2025-03-01"


def _ok(response, status=200):
    assert response.status_code == status, response.get_json()
    return response.get_json()


def _order(order_id, seller, buyer, amount, kind, at, status="paid"):
    return {"id": order_id, "seller_id": seller, "buyer_id": buyer, "amount": amount, "currency": "USD",
            "kind": kind, "at": at, "status": status, **({} if buyer else {"customer_ref": f"c-{order_id}"})}


@pytest.fixture()
def programme(client, admin):
    _ok(post_csv(client, "members", MEMBERS, admin))
    winter = _ok(client.post("/api/v1/members/A/codes", json={"campaign": "winter", "channel": "email"},
                             headers=admin), 201)["code"]
    insta = _ok(client.post("/api/v1/members/A/codes", json={"campaign": "winter", "channel": "instagram"},
                            headers=admin), 201)["code"]
    b_link = _ok(client.get("/api/v1/members/B/codes", headers=admin))["items"][0]["code"]

    def clicks(*rows):
        _ok(client.post("/api/v1/events/clicks", json={"clicks": [
            {"code": code, "visitor_id": v, "at": at, **({"user_agent": "Googlebot/2.1"} if v == "bot" else {})}
            for code, v, at in rows]}, headers=admin))

    def signup(member_id, joined_at, **how):
        body = {"id": member_id, "joined_at": joined_at, "status": "active", "country": "US", **how}
        return _ok(client.post("/api/v1/members", json=body, headers=admin), 201)

    clicks((winter, "v5", "2024-12-20T10:00:00Z"), (winter, "v1", "2025-01-09T10:00:00Z"),
           (winter, "v1", "2025-01-09T13:00:00Z"), (winter, "bot", "2025-01-12T10:00:00Z"),
           (winter, "v2", "2025-01-15T10:00:00Z"), (b_link, "v3", "2025-02-04T10:00:00Z"))
    assert signup("N1", "2025-01-10T10:00:00Z", visitor_id="v1")["attribution"]["via"] == "click"
    assert signup("N2", "2025-01-20T10:00:00Z", code=insta)["attribution"]["via"] == "code"
    assert signup("N3", "2025-02-05T10:00:00Z", visitor_id="v3")["sponsor_id"] == "B"
    n1_link = _ok(client.get("/api/v1/members/N1/codes", headers=admin))["items"][0]["code"]
    clicks((n1_link, "v4", "2025-02-11T10:00:00Z"))
    assert signup("N4", "2025-02-12T10:00:00Z", visitor_id="v4")["sponsor_id"] == "N1"
    assert signup("N5", "2025-02-20T10:00:00Z", sponsor_id="A")["attribution"]["via"] == "sponsor"
    _ok(client.post("/api/v1/orders", json={"orders": [
        _order("O1", "A", "N1", "50.00", "personal", "2025-01-20T10:00:00Z"),
        _order("O2", "B", "N3", "20.00", "enrollment", "2025-02-06T10:00:00Z"),
        _order("O3", "A", None, "30.00", "retail", "2025-01-25T10:00:00Z"),
        _order("O4", "A", "N2", "40.00", "personal", "2025-03-15T10:00:00Z"),
        _order("O5", "F", "A", "100.00", "inventory", "2024-12-20T10:00:00Z"),
        _order("O6", "A", "N1", "15.00", "personal", "2025-02-15T10:00:00Z"),
        _order("O7", "N1", None, "12.00", "retail", "2025-02-20T10:00:00Z"),
        _order("O8", "A", "N3", "99.00", "personal", "2025-02-07T10:00:00Z", status="refunded")]}, headers=admin))
    _ok(client.put("/api/v1/plans/P", json={"rates": ["0.10"], "compression": False,
                                            "commissionable_kinds": ["retail", "personal"]}, headers=admin))
    _ok(client.post("/api/v1/commission-runs", json={"plan_id": "P", "from": "2025-01-01", "to": "2025-02-01"},
                    headers=admin), 201)
    _ok(client.put("/api/v1/reward-rules/W", json={"referrer": {"flat": {"USD": "5.00"}}, "hold_days": 10,
                                                  "milestones": []}, headers=admin))
    _ok(client.post("/api/v1/reward-runs", json={"rule_id": "W", "through": "2025-04-01T00:00:00Z"},
                    headers=admin), 201)


def _ratio(numerator, denominator):
    return {"value": round(numerator / denominator, 6), "numerator": numerator, "denominator": denominator,
            "reason": None}


def _figures(client, admin, by="month", period=PERIOD):
    return _ok(client.get(f"/api/v1/kpis?{period}&by={by}", headers=admin))


def test_every_headline_figure_of_the_hand_worked_programme(client, admin, programme):
    h = _figures(client, admin)["headline"]
    # 5 clicks, visitors v1..v4, sharers A, B, N1; 9 active at the end (X is inactive).
    assert (h["clicks"], h["unique_visitors"], h["sharers"], h["active_members"]) == (5, 4, 3, 9)
    assert h["participation_rate"] == _ratio(3, 9)
    assert h["share_through"] == _ratio(4, 3)
    # Joined: C, N1..N5; referred N1..N4 (N5 named its sponsor); by click N1, N3, N4.
    assert (h["new_members"], h["referred_signups"], h["signups_by_click"], h["signups_by_code"]) == (6, 4, 3, 1)
    assert h["click_to_signup"] == _ratio(3, 4)
    assert h["referral_rate"] == _ratio(4, 6)
    # First order within 30 days: N1 (10 days), N3 (1 day); N2's came after 54 days, N4 has none.
    assert h["first_orders"] == 2 and h["signup_to_first_order"] == _ratio(2, 4)
    assert h["sales"] == {"USD": {"by_kind": {"retail": "42.00", "personal": "65.00", "enrollment": "20.00",
                                              "inventory": "0.00"}, "retail": "42.00", "own_purchases": "85.00"}}
    # Referred members' orders: O1, O6, O7 (N1) and O2 (N3).
    assert h["referred_sales"] == {"USD": "97.00"}
    assert h["cost"] == {"USD": {"commissions": "8.00", "rewards": "10.00", "total": "18.00"}}
    assert h["cac"] == {"USD": {"value": "4.50", "cost": "18.00", "referred_members": 4, "reason": None}}
    assert h["roi"] == {"USD": {"value": round(79 / 18, 6), "numerator": "79.00", "denominator": "18.00",
                                "reason": None}}
    assert (h["at_risk"], h["at_risk_downline"]) == (0, 0)


def test_by_month_campaign_and_channel(client, admin, programme):
    jan, feb = _figures(client, admin)["groups"]
    assert (jan["key"], jan["clicks"], jan["unique_visitors"], jan["sharers"], jan["active_members"]) == (
        "2025-01", 3, 2, 1, 6)
    assert (jan["participation_rate"], jan["referral_rate"], jan["click_to_signup"], jan["signup_to_first_order"]) == (
        _ratio(1, 6), _ratio(2, 3), _ratio(1, 2), _ratio(1, 2))
    assert jan["cost"] == {"USD": {"commissions": "8.00", "rewards": "5.00", "total": "13.00"}}
    assert (jan["cac"]["USD"]["value"], jan["roi"]["USD"]["value"]) == ("6.50", round(37 / 13, 6))
    assert (feb["key"], feb["clicks"], feb["unique_visitors"], feb["sharers"], feb["active_members"]) == (
        "2025-02", 2, 2, 2, 9)
    assert (feb["click_to_signup"], feb["signup_to_first_order"], feb["referred_sales"]) == (
        _ratio(2, 2), _ratio(1, 2), {"USD": "47.00"})
    assert feb["cost"] == {"USD": {"commissions": "0.00", "rewards": "5.00", "total": "5.00"}}
    assert (feb["cac"]["USD"]["value"], feb["roi"]["USD"]["value"]) == ("2.50", 8.4)

    def funnel(group):
        return (group["key"], group["clicks"], group["unique_visitors"], group["sharers"], group["referred_signups"],
                group["click_to_signup"]["value"], group["signup_to_first_order"]["value"], group["referred_sales"])

    assert [funnel(g) for g in _figures(client, admin, "campaign")["groups"]] == [
        ("winter", 3, 2, 1, 2, 0.5, 0.5, {"USD": "77.00"}), (None, 2, 2, 2, 2, 1.0, 0.5, {"USD": "20.00"})]
    channels = _figures(client, admin, "channel")["groups"]
    assert [funnel(g) for g in channels] == [
        ("email", 3, 2, 1, 1, 0.5, 1.0, {"USD": "77.00"}), ("instagram", 0, 0, 0, 1, None, 0.0, {}),
        (None, 2, 2, 2, 2, 1.0, 0.5, {"USD": "20.00"})]
    assert channels[1]["click_to_signup"]["reason"] == "no visitor clicked a link"


def test_cohorts_retention_clv_k_and_cascade(client, admin, programme):
    jan, feb = _figures(client, admin)["cohorts"]
    # January: C (not referred), N1, N2.  N1 ordered in January and February, N2 only in March.
    assert (jan["month"], jan["members"], jan["referred"]) == ("2025-01", 3, 2)
    assert [r["value"] for r in jan["retention"]["referred"]] == [0.5, 0.5]
    assert [r["value"] for r in jan["retention"]["not_referred"]] == [0.0, 0.0]
    # First-year revenue: N1 77.00 and N2 40.00 over 2 members; C bought nothing.
    assert jan["clv"]["referred"] == {"members": 2, "revenue": {"USD": "117.00"}, "per_member": {"USD": "58.50"},
                                      "reason": None}
    assert jan["clv"]["not_referred"]["revenue"] == {} and jan["clv_complete"] is True
    # N1 brought N4 33 days after joining: in K at 90 days, not at 30.
    assert jan["k"] == {"30d": _ratio(0, 3), "90d": _ratio(1, 3)}
    assert jan["cascade"] == {"depth": 1, "widest_level": 1, "size": 1}
    assert (feb["members"], feb["referred"], [r["value"] for r in feb["retention"]["referred"]]) == (3, 2, [0.5])
    # N3's refunded O8 does not count: 20.00 over N3 and N4.
    assert feb["clv"]["referred"]["per_member"] == {"USD": "10.00"}
    assert feb["cascade"] == {"depth": 0, "widest_level": 0, "size": 0}


def test_an_empty_period_gives_nulls_with_reasons(client, admin, programme):
    h = _figures(client, admin, period="from=2020-01-01&to=2020-02-01")["headline"]
    for name, reason in (("participation_rate", "no active members at the end of the period"),
                         ("share_through", "no member's link was clicked"),
                         ("click_to_signup", "no visitor clicked a link"),
                         ("signup_to_first_order", "no referred member joined"),
                         ("referral_rate", "no one joined in the period")):
        assert (h[name]["value"], h[name]["reason"]) == (None, reason), name
    assert (h["sales"], h["cost"], h["cac"], h["roi"]) == ({}, {}, {}, {})
    bad = client.get("/api/v1/kpis?from=2025-03-01&to=2025-01-01", headers=admin)
    assert bad.status_code == 422 and "to" in bad.get_json()["errors"]
    assert client.get(f"/api/v1/kpis?{PERIOD}&by=country", headers=admin).status_code == 400


def test_a_kpi_run_stores_the_period_and_the_answer_comes_from_it(client, admin, programme, settings):
    computed = _figures(client, admin)
    assert computed["run_id"] is None
    result = run_cli(settings, "analyze", "kpis", "--from", "2025-01-01", "--to", "2025-03-01")
    assert result.returncode == 0, result.stderr
    served = _figures(client, admin)
    assert served["run_id"] is not None and served["run_id"] in result.stdout
    # The command says what the run found.
    assert "referred signups: 4" in result.stdout and "participation rate: 0.333333" in result.stdout
    assert {k: v for k, v in served.items() if k not in ("run_id", "computed_at")} == \
        {k: v for k, v in computed.items() if k not in ("run_id", "computed_at")}
    # Another window for first orders is computed, not served.
    assert _figures(client, admin, period=PERIOD + "&first_order_days=60")["run_id"] is None


def test_members_at_risk_when_their_sponsor_stops(client, admin, programme):
    changed = MEMBERS.replace("A,F,2024-07-01T00:00:00Z,active", "A,F,2024-07-01T00:00:00Z,inactive")
    before = datetime.now(timezone.utc)
    _ok(post_csv(client, "members", changed, admin))
    around = (f"from={(before - timedelta(minutes=5)).isoformat().replace('+00:00', 'Z')}"
              f"&to={(before + timedelta(minutes=5)).isoformat().replace('+00:00', 'Z')}")
    items = _ok(client.get(f"/api/v1/kpis/at-risk?{around}", headers=admin))["items"]
    # A's recruits, N1 (with N4 below) first.
    assert [(i["member_id"], i["sponsor_id"], i["sponsor_status"], i["downline_total"]) for i in items] == [
        ("N1", "A", "inactive", 1), ("N2", "A", "inactive", 0), ("N5", "A", "inactive", 0)]
    h = _figures(client, admin, period=around)["headline"]
    assert (h["at_risk"], h["at_risk_downline"]) == (3, 1)
    # The January-February period did not see A stop.
    assert _ok(client.get(f"/api/v1/kpis/at-risk?{PERIOD}", headers=admin))["items"] == []


class _Svg(HTMLParser):
    """Text of each chart in the report, by chart id and text class."""

    def __init__(self):
        super().__init__()
        self.charts, self.chart, self.cls, self.cells = {}, None, None, {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "svg":
            self.chart = attrs["id"]
            self.charts[self.chart] = []
        self.cls = attrs.get("class") if tag == "text" else None

    def handle_endtag(self, tag):
        if tag == "svg":
            self.chart = None

    def handle_data(self, data):
        if self.chart and self.cls and data.strip():
            self.charts[self.chart].append((self.cls, data.strip()))


def test_the_marketer_s_report_labels_every_chart(client, admin, programme, settings, tmp_path):
    response = client.get(f"/api/v1/kpis/report?{PERIOD}", headers=admin)
    assert response.status_code == 200 and response.mimetype == "text/html"
    parser = _Svg()
    parser.feed(response.get_data(as_text=True))
    charts = parser.charts
    assert set(charts) == {"funnel-chart", "retention-chart", "k-chart", "clv-chart-USD", "cost-chart-USD",
                           "roi-chart-USD"}
    for chart, texts in charts.items():
        assert len([t for c, t in texts if c == "axis-title"]) == 2, chart
    funnel = charts["funnel-chart"]
    assert [t for c, t in funnel if c == "value"] == ["5", "4", "3", "4", "2"]
    assert [t for c, t in funnel if c == "label"] == ["clicks", "unique visitors", "signups via click",
                                                       "referred signups", "first orders"]
    # Retention: rows January referred, not referred, February referred, not referred; months +0, +1.
    assert [t for c, t in charts["retention-chart"] if c == "value"] == ["50%", "50%", "0%", "0%", "50%", "–", "0%", "–"]
    assert ("axis-title", "Programme cost (USD)") in charts["cost-chart-USD"]
    assert [t for c, t in charts["cost-chart-USD"] if c == "value"] == ["8.00", "0.00", "5.00", "5.00"]
    # The headline compares with the 59 days before: no referred signups then, four now.
    row = re.search(r'<tr data-figure="referred_signups">(.*?)</tr>', response.get_data(as_text=True), re.S).group(1)
    assert re.findall(r'<td class="num">([^<]*)</td>', row) == ["4", "0", "+4"]
    csv_report = run_cli(settings, "report", "kpis", "--from", "2025-01-01", "--to", "2025-03-01", "--format", "csv",
                         "--out", str(tmp_path / "kpis.csv"))
    assert csv_report.returncode == 0, csv_report.stderr
    rows = (tmp_path / "kpis.csv").read_text().splitlines()
    assert rows[0] == "breakdown,key,figure,currency,value"
    assert "period,,participation_rate,,0.333333" in rows and "month,2025-02,roi,USD,8.4" in rows
    assert "channel,instagram,click_to_signup,," in rows
