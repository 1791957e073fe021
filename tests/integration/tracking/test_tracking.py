"""Referral codes, clicks and live signups, attribution worked by hand."""

import json
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from tests.conftest import post_csv, run_cli

# F -> A -> B.  C stands alone.
MEMBERS = """id,sponsor_id,joined_at,status,country
F,,2024-01-01T00:00:00Z,active,US
A,F,2024-01-02T00:00:00Z,active,US
B,A,2024-01-03T00:00:00Z,active,US
C,,2024-01-04T00:00:00Z,active,US
"""
JOIN = "2024-03-31T12:00:00Z"


@pytest.fixture()
def network(client, admin):
    assert post_csv(client, "members", MEMBERS, admin).status_code == 200


def _code(client, admin, member, **body):
    response = client.post(f"/api/v1/members/{member}/codes", json=body, headers=admin)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["code"]


def _clicks(client, admin, *clicks):
    response = client.post("/api/v1/events/clicks", json={"clicks": list(clicks)}, headers=admin)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _signup(client, admin, member_id="N", status=201, **extra):
    body = {"id": member_id, "joined_at": JOIN, "status": "active", "country": "DE"} | extra
    response = client.post("/api/v1/members", json=body, headers=admin)
    assert response.status_code == status, response.get_json()
    return response.get_json()


def _at(delta: timedelta) -> str:
    return (datetime.fromisoformat(JOIN.replace("Z", "+00:00")) + delta).isoformat()


def test_codes_default_first_random_case_insensitive_and_disabled(client, admin, network):
    codes = client.get("/api/v1/members/A/codes", headers=admin).get_json()["items"]
    assert len(codes) == 1 and codes[0]["is_default"] and not codes[0]["disabled"]
    default = codes[0]["code"]
    assert "a" != default and len(default) == 8  # drawn, not the member id
    assert client.get("/api/v1/members/A/codes", headers=admin).get_json()["items"][0]["code"] == default
    summer = _code(client, admin, "A", campaign="summer", channel="instagram")
    listed = client.get("/api/v1/members/A/codes", headers=admin).get_json()["items"]
    assert [c["code"] for c in listed] == [default, summer]
    assert (listed[1]["campaign"], listed[1]["channel"], listed[1]["is_default"]) == ("summer", "instagram", False)
    # A code is matched without case: the signup attributes to A.
    assert _signup(client, admin, code=summer.upper())["attribution"] == {
        "via": "code", "code": summer, "campaign": "summer", "channel": "instagram", "note": None,
        "status": "approved", "reasons": []}
    disabled = client.put(f"/api/v1/codes/{summer}", json={"disabled": True}, headers=admin)
    assert disabled.status_code == 200 and disabled.get_json()["disabled"] is True
    other = _signup(client, admin, "N2", code=summer)
    assert (other["sponsor_id"], other["attribution"]["via"], other["attribution"]["note"]) == (
        None, None, "referral code disabled")
    assert client.get("/api/v1/members/NOPE/codes", headers=admin).status_code == 404
    assert client.put("/api/v1/codes/nope1234", json={"disabled": True}, headers=admin).status_code == 404


def test_a_signup_by_code_joins_the_tree_with_counts_and_the_edge_says_how(client, admin, network, cypher):
    code = _code(client, admin, "B", campaign="spring", channel="email")
    member = _signup(client, admin, code=code)
    assert (member["id"], member["sponsor_id"], member["downline_total"]) == ("N", "B", 0)
    # The member keeps the status it signed up with; the referral's own status is on the edge.
    assert (member["status"], member["attribution"]["status"]) == ("active", "approved")
    # N is 1 below B, 2 below A, 3 below F: each ancestor's counts grew by one at that level.
    counts = {r["id"]: (r["c"][:3], r["t"]) for r in cypher(
        "MATCH (m:Member) WHERE m.id IN ['F', 'A', 'B'] RETURN m.id AS id, m.level_counts AS c, m.downline_total AS t")}
    assert counts == {"F": ([1, 1, 1], 3), "A": ([1, 1, 0], 2), "B": ([1, 0, 0], 1)}
    edge = cypher("MATCH (s)-[r:REFERRED]->(n:Member {id: 'N'}) RETURN s.id AS s, r.via AS via, r.code AS code, "
                  "r.campaign AS campaign, r.channel AS channel, r.status AS status, n.status AS member_status, "
                  "n.depth AS depth, n.path AS path")
    assert edge == [{"s": "B", "via": "code", "code": code, "campaign": "spring", "channel": "email",
                     "status": "approved", "member_status": "active", "depth": 3, "path": "/F/A/B/N/"}]


def test_attribution_order_sponsor_then_code_then_clicks_in_the_window(client, admin, network):
    a, c = _code(client, admin, "A"), _code(client, admin, "C")
    _clicks(client, admin, {"code": c, "visitor_id": "v1", "at": _at(-timedelta(days=2))})
    # An explicit sponsor wins over a code and clicks.
    assert _signup(client, admin, "N1", sponsor_id="B", code=a, visitor_id="v1")["attribution"]["via"] == "sponsor"
    # A code wins over clicks.
    assert _signup(client, admin, "N2", code=a, visitor_id="v1")["sponsor_id"] == "A"
    # An unknown code: the clicks decide, and the answer says why the code did not count.
    third = _signup(client, admin, "N3", code="zzzz9999", visitor_id="v1")
    assert (third["sponsor_id"], third["attribution"]["via"], third["attribution"]["note"]) == (
        "C", "click", "unknown referral code")
    # Nothing to go by: no sponsor.
    assert _signup(client, admin, "N4")["sponsor_id"] is None
    assert _signup(client, admin, "N5", sponsor_id="GHOST", status=422)["errors"] == {"sponsor_id": ["No such member."]}


def test_window_boundaries_to_the_second_touch_and_bots(client, admin, network, settings):
    a, b, c = _code(client, admin, "A"), _code(client, admin, "B"), _code(client, admin, "C")
    window = timedelta(days=settings.attribution_window_days)
    stored = _clicks(
        client, admin,
        {"code": a, "visitor_id": "v", "at": _at(-window - timedelta(seconds=1))},   # expired by a second
        {"code": b, "visitor_id": "v", "at": _at(-window)},                          # first inside
        {"code": c, "visitor_id": "v", "at": _at(-timedelta(hours=1))},              # last inside
        {"code": a, "visitor_id": "v", "at": _at(-timedelta(minutes=1)),
         "user_agent": "Mozilla/5.0 (compatible; Googlebot/2.1)"},                   # a bot, later still
        {"code": a, "visitor_id": "v", "at": _at(timedelta(seconds=1))},             # after the signup
    )
    assert (stored["stored"], stored["bots"], stored["refused"]) == (5, 1, [])
    # Last touch (the default): C's click an hour before; the bot's and the later click do not count.
    assert _signup(client, admin, "L", visitor_id="v")["sponsor_id"] == "C"


def test_first_touch_takes_the_earliest_click_inside_the_window(client, admin, network, services):
    a, b = _code(client, admin, "A"), _code(client, admin, "B")
    _clicks(client, admin, {"code": a, "visitor_id": "w", "at": _at(-timedelta(days=31))},
            {"code": b, "visitor_id": "w", "at": _at(-timedelta(days=30))},
            {"code": a, "visitor_id": "w", "at": _at(-timedelta(days=1))})
    first = services.tracking.first_touch
    services.tracking.first_touch = True
    try:
        assert _signup(client, admin, "FT", visitor_id="w")["sponsor_id"] == "B"
    finally:
        services.tracking.first_touch = first


def test_bad_clicks_are_refused_by_index_and_the_others_stored(client, admin, network, cypher):
    a = _code(client, admin, "A")
    answer = _clicks(client, admin,
                     {"code": a, "visitor_id": "v", "at": "2024-03-01T00:00:00Z", "ip": "10.0.0.1"},
                     {"code": "nope1234", "visitor_id": "v", "at": "2024-03-01T00:00:00Z"},
                     {"code": a, "visitor_id": "v", "at": "2999-01-01T00:00:00Z"},
                     {"code": a, "visitor_id": "v", "at": "1990-01-01T00:00:00Z"},
                     {"code": a, "at": "2024-03-01T00:00:00Z"})
    assert answer["stored"] == 1
    assert [(r["index"], sorted(r["errors"])) for r in answer["refused"]] == [
        (1, ["code"]), (2, ["at"]), (3, ["at"]), (4, ["visitor_id"])]
    # Only keyed hashes of the visitor and address are stored.
    click = cypher("MATCH (k:Click) RETURN properties(k) AS p")[0]["p"]
    assert "v" not in click.values() and "10.0.0.1" not in click.values() and len(click["visitor_hash"]) == 64
    too_many = client.post("/api/v1/events/clicks", json={"clicks": [{}] * 1001}, headers=admin)
    assert too_many.status_code == 422
    not_objects = client.post("/api/v1/events/clicks", json={"clicks": [{}, "a click"]}, headers=admin)
    assert not_objects.status_code == 422 and "1" in str(not_objects.get_json()["errors"])


def test_a_repeated_signup_gives_the_same_answer_and_another_body_409(client, admin, network):
    code = _code(client, admin, "A")
    first = _signup(client, admin, "R", code=code)
    assert _signup(client, admin, "R", code=code) == first
    conflict = _signup(client, admin, "R", status=409, code=code, country="FR")
    assert "exists" in conflict["detail"]
    assert _signup(client, admin, "A", status=409)  # an imported member's id
    assert _signup(client, admin, "Z", status=422, joined_at="2999-01-01T00:00:00Z")["errors"].keys() == {"joined_at"}


def test_codes_from_the_command_line(client, admin, network, settings):
    created = run_cli(settings, "codes", "create", "--member", "B", "--campaign", "spring", "--channel", "email")
    assert created.returncode == 0, created.stderr
    code = created.stdout.split()[0]
    listed = run_cli(settings, "codes", "list", "--member", "B").stdout.splitlines()
    assert len(listed) == 2 and listed[0].endswith("default") and listed[1] == created.stdout.strip()
    assert listed[1] == f"{code}  B  campaign spring  channel email"
    disabled = run_cli(settings, "codes", "disable", code.upper())
    assert disabled.returncode == 0 and disabled.stdout.strip().endswith("disabled")
    unknown = run_cli(settings, "codes", "list", "--member", "NOPE")
    assert unknown.returncode == 1 and unknown.stderr.strip() == "Error: member NOPE does not exist"


@st.composite
def journeys(draw):
    """Clicks by two visitors on three members' codes around the signups, and signups
    that name a sponsor, a code, a visitor, or nothing."""
    clicks = [{"member": draw(st.sampled_from("FAC")), "visitor": draw(st.sampled_from(["v", "w"])),
               "offset_s": draw(st.integers(-40 * 86400, 3600)), "bot": draw(st.booleans())}
              for _ in range(draw(st.integers(0, 8)))]
    signups = [{"sponsor": draw(st.one_of(st.none(), st.sampled_from("FB"))),
                "code": draw(st.one_of(st.none(), st.sampled_from(["F", "A", "C", "unknown"]))),
                "visitor": draw(st.one_of(st.none(), st.sampled_from(["v", "w"]))),
                "offset_s": draw(st.integers(0, 86400)),
                # After the signup, maybe a sponsor move among everyone so far (a loop is refused).
                "move": draw(st.one_of(st.none(), st.tuples(st.sampled_from("FABC0123"), st.sampled_from("FABC0123"))))}
               for _ in range(draw(st.integers(1, 4)))]
    return clicks, signups


def _in_subtree(parent: dict, member: str, top: str) -> bool:
    while member is not None:
        if member == top:
            return True
        member = parent.get(member)
    return False


def _oracle(clicks, signup, window_s, codes):
    """The sponsor a signup gets, worked out from the rules alone."""
    if signup["sponsor"]:
        return signup["sponsor"]
    if signup["code"] in codes:
        return signup["code"]
    inside = [c for c in clicks if c["visitor"] == signup["visitor"] and not c["bot"]
              and signup["offset_s"] - window_s <= c["offset_s"] <= signup["offset_s"]]
    return max(inside, key=lambda c: c["offset_s"])["member"] if inside else None


@hsettings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=journeys())
def test_attribution_equals_an_oracle_of_the_rules(client, admin, clean_cypher, settings, case):
    clicks, signups = case
    assert post_csv(client, "members", MEMBERS, admin).status_code == 200
    codes = {m: client.get(f"/api/v1/members/{m}/codes", headers=admin).get_json()["items"][0]["code"] for m in "FAC"}
    # Distinct times: with two clicks at one second, either could be "the last".
    seen = set()
    clicks = [c for c in clicks if (c["visitor"], c["offset_s"]) not in seen and not seen.add((c["visitor"], c["offset_s"]))]
    if clicks:
        _clicks(client, admin, *({"code": codes[c["member"]], "visitor_id": c["visitor"],
                                  "at": _at(timedelta(seconds=c["offset_s"])),
                                  "user_agent": "ExampleBot/1.0" if c["bot"] else "Mozilla/5.0"} for c in clicks))
    window_s = settings.attribution_window_days * 86400
    parent = {"F": None, "A": "F", "B": "A", "C": None}  # the tree as the oracle keeps it
    for i, signup in enumerate(signups):
        body = {"joined_at": _at(timedelta(seconds=signup["offset_s"]))}
        if signup["sponsor"]:
            body["sponsor_id"] = signup["sponsor"]
        if signup["code"]:
            body["code"] = codes.get(signup["code"], "zzzz0000")
        if signup["visitor"]:
            body["visitor_id"] = signup["visitor"]
        member = _signup(client, admin, f"S{i}", **body)
        assert member["sponsor_id"] == _oracle(clicks, signup, window_s, codes), (signup, clicks)
        parent[f"S{i}"] = member["sponsor_id"]
        if signup["move"]:
            who, under = (m if m in "FABC" else f"S{m}" for m in signup["move"])
            if who in parent and under in parent:
                moved = client.put(f"/api/v1/members/{who}/sponsor", json={"sponsor_id": under}, headers=admin)
                loop = _in_subtree(parent, under, who)
                assert moved.status_code == (409 if loop else 200), (who, under, parent)
                if not loop:
                    parent[who] = under
    # The stored tree is the oracle's, and every member's downline count agrees with it.
    for m in parent:
        stored = client.get(f"/api/v1/members/{m}", headers=admin).get_json()
        assert stored["sponsor_id"] == parent[m], m
        assert stored["downline_total"] == sum(_in_subtree(parent, x, m) for x in parent if x != m), m
    clean_cypher("MATCH (n) WHERE n:Member OR n:Click OR n:ReferralCode OR n:Import DETACH DELETE n")


def test_referral_stats_worked_by_hand(client, admin, network, services):
    a = _code(client, admin, "A")
    _clicks(client, admin,
            {"code": a, "visitor_id": "v1", "at": _at(-timedelta(days=2))},
            {"code": a, "visitor_id": "v1", "at": _at(-timedelta(days=1))},
            {"code": a, "visitor_id": "v2", "at": _at(-timedelta(hours=5))},
            {"code": a, "visitor_id": "v3", "at": _at(-timedelta(hours=4)), "user_agent": "Twitterbot/1.0"})
    _signup(client, admin, "N1", visitor_id="v1")   # by a click
    _signup(client, admin, "N2", code=a)            # by the code
    _signup(client, admin, "N3", sponsor_id="A")    # named
    orders = {"orders": [
        {"id": "X1", "seller_id": "A", "buyer_id": "N1", "amount": "30.00", "currency": "EUR", "kind": "retail",
         "at": _at(timedelta(hours=1)), "status": "paid"},
        {"id": "X2", "seller_id": "N2", "amount": "100.00", "currency": "EUR", "kind": "retail",
         "at": _at(timedelta(hours=2)), "status": "paid"},
        {"id": "X3", "seller_id": "N2", "amount": "50.00", "currency": "EUR", "kind": "retail",
         "at": _at(timedelta(hours=3)), "status": "refunded"}]}
    assert client.post("/api/v1/orders", json=orders, headers=admin).status_code == 200
    services.commissions.put_plan("P", ["0.10"], True, ["retail"])
    services.commissions.run("P", "2024-03-01", "2024-04-01")
    stats = client.get("/api/v1/members/A/referral-stats?from=2024-03-01&to=2024-04-01", headers=admin).get_json()
    # Three clicks by two visitors (the bot left out); three friends, one by a click; N1 bought X1;
    # N2 sold X2 (X3 was refunded); A earned 10% of X2 (X1 is A's own sale: F earns on it).
    assert stats == {
        "member_id": "A", "from": "2024-03-01T00:00:00+00:00", "to": "2024-04-01T00:00:00+00:00",
        "clicks": 3, "unique_visitors": 2, "signups": {"approved": 3, "held": 0, "by_click": 1},
        "friends_who_bought": 1, "visitor_to_signup": 0.5, "signup_to_buyer": pytest.approx(1 / 3),
        "friends_sales": [{"currency": "EUR", "amount": "100.00"}],
        "earnings": [{"currency": "EUR", "amount": "10.00"}]}
    earlier = client.get("/api/v1/members/A/referral-stats?from=2024-01-01&to=2024-02-01", headers=admin).get_json()
    # In January: no clicks; B (imported, joined 2024-01-03) is A's one friend, who bought nothing.
    assert (earlier["clicks"], earlier["signups"]["approved"], earlier["visitor_to_signup"],
            earlier["signup_to_buyer"]) == (0, 1, None, 0.0)
    assert client.get("/api/v1/members/NOPE/referral-stats?from=2024-01-01&to=2024-02-01",
                      headers=admin).status_code == 404


# G -> F2 -> E -> D -> S (a chain for the upline check); R1 -> R2 share a card and joined days apart.
CHAIN = """id,sponsor_id,joined_at,status,country
G,,2024-01-01T00:00:00Z,active,US
F2,G,2024-01-02T00:00:00Z,active,US
E,F2,2024-01-03T00:00:00Z,active,US
D,E,2024-01-04T00:00:00Z,active,US
S,D,2024-01-05T00:00:00Z,active,US
"""


def _held(client, admin, member_id, **extra):
    return _signup(client, admin, member_id, **extra)["attribution"]


def test_a_device_or_card_shared_with_the_sponsor_s_upline_within_three_levels_holds(client, admin, services):
    assert post_csv(client, "members", CHAIN, admin).status_code == 200
    ids = "member_id,kind,value\nE,card,4000-1111\nG,card,4000-2222\nS,email,home@example.com\n"
    assert post_csv(client, "identifiers", ids, admin).status_code == 200
    # Planted: the new member pays with E's card; E is S's upline at level 2 (S, D, E, F2 are within 3).
    held = _held(client, admin, "P1", sponsor_id="S", identifiers=[{"kind": "card", "value": "4000 1111"}])
    assert (held["status"], held["reasons"]) == ("held", ["shared_identifier"])
    # Decoys: a household email shared with the sponsor (not a strong kind), and a card of G,
    # four levels above S.
    assert _held(client, admin, "P2", sponsor_id="S", identifiers=[
        {"kind": "email", "value": "HOME@example.com"}])["status"] == "approved"
    assert _held(client, admin, "P3", sponsor_id="S", identifiers=[
        {"kind": "card", "value": "4000-2222"}])["status"] == "approved"


def test_a_sponsor_in_a_high_risk_ring_has_its_referrals_held(client, admin, services):
    members = CHAIN + "R1,,2024-02-01T00:00:00Z,active,US\nR2,R1,2024-02-02T00:00:00Z,active,US\n"
    assert post_csv(client, "members", members, admin).status_code == 200
    cards = "member_id,kind,value\nR1,card,5500-1\nR2,card,5500-1\n"
    assert post_csv(client, "identifiers", cards, admin).status_code == 200
    services.analysis.execute(services.analysis.create_run("rings")["id"])
    # R1 and R2 share a card, R1 sponsored R2, both joined within a week: 0.35 + 0.3 + 0.15 = 0.8.
    assert _held(client, admin, "Q1", sponsor_id="R2")["reasons"] == ["sponsor_in_ring"]
    assert _held(client, admin, "Q2", sponsor_id="S")["status"] == "approved"  # decoy: S is in no ring


def test_more_than_the_velocity_in_an_hour_holds_the_next_referral(client, admin, services, settings):
    assert post_csv(client, "members", CHAIN, admin).status_code == 200
    start = datetime(2024, 3, 1, 10, tzinfo=timezone.utc)
    velocity = settings.referral_velocity
    for i in range(velocity):  # the velocity's worth within the hour: approved
        body = {"joined_at": (start + timedelta(minutes=5 * i)).isoformat()}
        assert _held(client, admin, f"V{i}", sponsor_id="S", **body)["status"] == "approved"
    over = _held(client, admin, "VX", sponsor_id="S", joined_at=(start + timedelta(minutes=59)).isoformat())
    assert (over["status"], over["reasons"]) == ("held", ["velocity"])
    # Decoy: as many referrals spread over two hours never reach it.
    for i in range(velocity + 1):
        body = {"joined_at": (start + timedelta(days=1, minutes=20 * i)).isoformat()}
        assert _held(client, admin, f"W{i}", sponsor_id="E", **body)["status"] == "approved"


def test_a_sponsor_seen_on_the_signup_s_address_within_the_hour_holds(client, admin, network):
    _signup(client, admin, "L", visitor_id="lv", ip="203.0.113.7")  # at JOIN, from 203.0.113.7
    # L, as visitor lv, clicks A's link from 198.51.100.9 three hours later.
    _clicks(client, admin, {"code": _code(client, admin, "A"), "visitor_id": "lv", "at": _at(timedelta(hours=3)),
                            "ip": "198.51.100.9"})
    signup = lambda i, after, ip: _held(client, admin, i, sponsor_id="L", joined_at=_at(after), ip=ip)  # noqa: E731
    # Planted: a friend from L's signup address half an hour later, and one from the
    # address of L's click half an hour after it.
    assert signup("L1", timedelta(minutes=30), "203.0.113.7")["reasons"] == ["shared_ip"]
    assert signup("L3", timedelta(hours=3, minutes=30), "198.51.100.9")["reasons"] == ["shared_ip"]
    # Decoys: L's signup address two hours later (an office L used in the morning), and
    # another address at the time of the click.
    assert signup("L2", timedelta(hours=2), "203.0.113.7")["status"] == "approved"
    assert signup("L4", timedelta(hours=3, minutes=30), "198.51.100.10")["status"] == "approved"
    stats = client.get("/api/v1/members/L/referral-stats?from=2024-03-31&to=2024-04-02", headers=admin).get_json()
    assert stats["signups"] == {"approved": 2, "held": 2, "by_click": 0}


def test_held_referrals_are_listed_approved_or_rejected_to_the_fallback_sponsor(client, admin, services, cypher):
    assert post_csv(client, "members", CHAIN, admin).status_code == 200
    assert post_csv(client, "identifiers", "member_id,kind,value\nD,device,dev-1\n", admin).status_code == 200
    for member in ("K1", "K2"):
        _signup(client, admin, member, sponsor_id="S", identifiers=[{"kind": "device", "value": "DEV-1"}])
    listed = client.get("/api/v1/referrals?status=held", headers=admin).get_json()
    assert [(r["member_id"], r["sponsor_id"], r["reasons"]) for r in listed["items"]] == [
        ("K1", "S", ["shared_identifier"]), ("K2", "S", ["shared_identifier"])]
    approved = client.post("/api/v1/referrals/K1/approve", headers=admin)
    assert (approved.status_code, approved.get_json()["status"]) == (200, "approved")
    rejected = client.post("/api/v1/referrals/K2/reject", headers=admin).get_json()
    # K2 moves under D, S's sponsor; the counts follow the move.
    assert (rejected["status"], rejected["sponsor_id"]) == ("rejected", "D")
    assert cypher("MATCH (m:Member {id: 'K2'}) RETURN m.path AS p") == [{"p": "/G/F2/E/D/K2/"}]
    assert cypher("MATCH (m:Member {id: 'S'}) RETURN m.downline_total AS t") == [{"t": 1}]
    assert client.get("/api/v1/referrals", headers=admin).get_json()["items"] == []
    assert client.post("/api/v1/referrals/K1/reject", headers=admin).status_code == 409  # approved already
    assert client.post("/api/v1/referrals/K2/reject", headers=admin).get_json() == rejected  # the same answer
    assert client.post("/api/v1/referrals/G/approve", headers=admin).status_code == 404  # no sponsor: no referral


def test_held_referrals_from_the_command_line(client, admin, settings):
    assert post_csv(client, "members", CHAIN, admin).status_code == 200
    assert post_csv(client, "identifiers", "member_id,kind,value\nS,card,9-9\n", admin).status_code == 200
    _signup(client, admin, "K", sponsor_id="S", identifiers=[{"kind": "card", "value": "9-9"}])
    assert run_cli(settings, "referrals", "list").stdout == "K  sponsor S  held  (shared_identifier)\n"
    rejected = run_cli(settings, "referrals", "reject", "K")
    assert rejected.returncode == 0 and rejected.stdout == "K  sponsor D  rejected  (shared_identifier)\n"
    assert run_cli(settings, "referrals", "list").stdout == ""
    again = run_cli(settings, "referrals", "approve", "K")
    assert again.returncode == 1 and "not held" in again.stderr


def test_clicks_from_a_csv_file_store_the_valid_rows_and_list_the_others(client, admin, network, settings, tmp_path):
    a = _code(client, admin, "A")
    rows = [f"{a},v{i},2024-03-0{1 + i % 9}T10:00:00Z,,Mozilla/5.0,/join" for i in range(2500)]
    rows[5] = "nope1234,v5,2024-03-01T10:00:00Z,,,"                # line 7: unknown code
    rows[2400] = f"{a},v2400,2024-03-01T10:00:00Z,,Googlebot/2.1,"  # a bot, stored
    rows[2401] = f"{a},,2024-03-01T10:00:00Z,,,"                     # line 2403: no visitor
    path = tmp_path / "clicks.csv"
    path.write_text("code,visitor_id,at,ip,user_agent,landing_page\n" + "\n".join(rows) + "\n")
    result = run_cli(settings, "import", "--clicks", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("2498 stored (1 by bots, never counted), 2 refused.")
    assert result.stderr.splitlines() == ["  row 7: code: No such referral code.",
                                          "  row 2403: visitor_id: A string of 1 to 200 characters."]
    stats = client.get("/api/v1/members/A/referral-stats?from=2024-03-01&to=2024-04-01", headers=admin).get_json()
    assert (stats["clicks"], stats["unique_visitors"]) == (2497, 2497)


def test_first_asks_at_once_make_one_default_code(network, services):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(lambda _: services.tracking.codes("C"), range(6)))
    assert len({codes[0]["code"] for codes in answers}) == 1
    assert [c["is_default"] for c in services.tracking.codes("C")] == [True]


def test_codes_and_signups_from_files_store_the_valid_rows_and_list_the_others(client, admin, network, settings,
                                                                               tmp_path):
    codes = tmp_path / "codes.csv"
    codes.write_text("member_id,code,campaign,channel,is_default\n"
                     "A,Alpha-1,,,true\n"          # line 2: A's default (stored lower-case)
                     "A,alpha-2,spring,mail,\n"    # line 3: a campaign code
                     "B,alpha-1,,,true\n"          # line 4: taken by A
                     "NOPE,zeta-9,,,\n"            # line 5: no such member
                     "A,alpha-3,,,true\n"          # line 6: A has a default already
                     "B,no,,,\n")                  # line 7: too short
    first = run_cli(settings, "import", "--codes", str(codes))
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip().endswith("2 created, 0 unchanged, 4 refused.")
    assert first.stderr.splitlines() == [
        "  row 4: code: The code is taken (by another member, or with other fields).",
        "  row 5: member_id: No such member.", "  row 6: is_default: The member has another default code.",
        "  row 7: code: 4 to 32 letters, digits, - or _."]
    again = run_cli(settings, "import", "--codes", str(codes))
    assert again.stdout.strip().endswith("0 created, 2 unchanged, 4 refused.")
    listed = client.get("/api/v1/members/A/codes", headers=admin).get_json()["items"]
    assert [(c["code"], c["campaign"], c["is_default"]) for c in listed] == [
        ("alpha-1", None, True), ("alpha-2", "spring", False)]

    body = {"id": "N1", "joined_at": JOIN, "status": "active", "country": "DE", "code": "ALPHA-2"}
    signups = tmp_path / "signups.jsonl"
    signups.write_text("\n".join([
        json.dumps(body),                                    # line 1: by A's campaign code
        "{not json",                                          # line 2
        json.dumps(body),                                    # line 3: the same again
        json.dumps(body | {"country": "FR"}),                # line 4: another body for N1
        json.dumps(body | {"id": "N2", "sponsor_id": "NOPE"}),  # line 5: no such sponsor
    ]) + "\n")
    result = run_cli(settings, "import", "--signups", str(signups))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("1 created (0 held for review), 1 unchanged, 3 refused.")
    assert [line.split(":")[0] for line in result.stderr.splitlines()] == ["  row 2", "  row 4", "  row 5"]
    member = client.get("/api/v1/members/N1", headers=admin).get_json()
    assert (member["sponsor_id"], member["country"]) == ("A", "DE")


def test_concurrent_signups_and_moves_never_close_a_loop(client, admin, network, services, cypher):
    from concurrent.futures import ThreadPoolExecutor

    from graphsvc.errors import Conflict, NotFound

    def signup(i):  # N{i} joins under B (F -> A -> B)
        return services.tracking.signup({"id": f"N{i}", "joined_at": JOIN, "status": "active", "country": "DE",
                                         "sponsor_id": "B"})[0]["sponsor_id"]

    def move(who, under):
        try:
            return services.network.change_sponsor(who, under)["sponsor_id"]
        except (Conflict, NotFound):
            return "refused"

    # Racing each signup: A moved under the new member (a loop, whenever the member exists),
    # and C moved back and forth between the new member and F (never a loop).
    with ThreadPoolExecutor(max_workers=6) as pool:
        futures = [pool.submit(f, *a) for i in range(8)
                   for f, a in ((signup, (i,)), (move, ("A", f"N{i}")), (move, ("C", f"N{i}")), (move, ("C", "F")))]
        outcomes = [f.result() for f in futures]
    assert all(outcomes[k] == "refused" for k in range(1, len(outcomes), 4))  # A never moved under its downline
    rows = cypher("MATCH (m:Member) OPTIONAL MATCH (s:Member)-[:REFERRED]->(m) "
                  "RETURN m.id AS id, m.path AS path, s.id AS sponsor, s.path AS sponsor_path")
    parent = {r["id"]: r["sponsor"] for r in rows}
    for r in rows:
        seen, m = set(), r["id"]
        while m is not None:  # up the sponsors to a root, never round
            assert m not in seen, r
            seen.add(m)
            m = parent[m]
        assert r["path"] == (r["sponsor_path"] or "/") + r["id"] + "/", r  # paths agree with sponsors
