"""Rewards worked by hand against a real Neo4j: both sides of a friend's first order, the
holding period, refunds, caps, held referrals, milestones and the member's own view."""

import json
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from graphsvc import schema
from tests.conftest import post_csv, run_cli

# S sponsors F1..F3 (imported); S2 stands alone.
MEMBERS = """id,sponsor_id,joined_at,status,country
S,,2025-01-01T00:00:00Z,active,DE
F1,S,2025-02-01T00:00:00Z,active,DE
F2,S,2025-02-02T00:00:00Z,active,DE
F3,S,2025-02-03T00:00:00Z,active,DE
S2,,2025-01-01T00:00:00Z,active,DE
"""
# Referrer: 10.00 EUR (or 12.00 USD) flat; friend: 10% of the first order; held 30 days.
RULE = {"referrer": {"flat": {"EUR": "10.00", "USD": "12.00"}}, "friend": {"share": "0.10"},
        "min_order": {"EUR": "20.00"}, "hold_days": 30, "milestones": []}
# With a milestone: a badge and 7.00 EUR at the third approved referral.
MILESTONE_RULE = {**RULE, "milestones": [{"referrals": 3, "badge": "starter", "reward": {"EUR": "7.00"}}]}


# Every stored reward line as a row, read by hand from the buckets (each holds its members'
# lines as parallel lists, a member's slice from starts[m] to starts[m + 1]).
LINES = """
MATCH (x:RewardBucket)
UNWIND range(0, size(x.members) - 1) AS m
UNWIND range(x.starts[m], x.starts[m + 1] - 1) AS i
RETURN x.rule_id AS rule, x.members[m] AS member, x.kinds[i] AS kind, x.amounts[i] AS minor,
       x.currencies[i] AS currency, x.statuses[i] AS status, x.badges[i] AS badge, x.payouts[i] AS payout
"""


def _lines(cypher, where="true", columns="*"):
    return cypher(f"CALL () {{ {LINES} }} WITH * WHERE {where} RETURN {columns}")


def _orders(client, admin, *rows):
    body = {"orders": [{"id": i, "seller_id": "S", "buyer_id": buyer, "amount": amount, "currency": currency,
                        "kind": "personal", "at": at, "status": "paid"} for i, buyer, amount, currency, at in rows]}
    response = client.post("/api/v1/orders", json=body, headers=admin)
    assert response.status_code == 200, response.get_json()


def _run(client, admin, through, rule="W"):
    response = client.post("/api/v1/reward-runs", json={"rule_id": rule, "through": through}, headers=admin)
    assert response.status_code == 201, response.get_json()
    return dict(zip(response.get_json()["statuses"], response.get_json()["counts"]))


def _balance(client, headers, member):
    response = client.get(f"/api/v1/members/{member}/rewards", headers=headers)
    assert response.status_code == 200, response.get_json()
    return {b["currency"]: {k: v for k, v in b.items() if k != "currency"} for b in response.get_json()["balances"]}


@pytest.fixture()
def programme(client, admin):
    assert post_csv(client, "members", MEMBERS, admin).status_code == 200
    rule = client.put("/api/v1/reward-rules/W", json=RULE, headers=admin)
    assert rule.status_code == 200 and rule.get_json()["version"] == 1, rule.get_json()


def test_a_friend_s_first_order_pays_both_sides_once_after_the_hold(client, admin, programme, key_for, cypher):
    # F1's first order (15.00 EUR) is under the minimum; its next (50.00) is the first that
    # counts; a third earns nothing more.
    _orders(client, admin, ("A1", "F1", "15.00", "EUR", "2025-03-01T10:00:00Z"),
            ("A2", "F1", "50.00", "EUR", "2025-03-02T10:00:00Z"), ("A3", "F1", "80.00", "EUR", "2025-03-03T10:00:00Z"))
    assert _run(client, admin, "2025-03-31T10:00:00Z") == {"pending": 2}
    assert _balance(client, admin, "S") == {"EUR": {"pending": "10.00"}}
    assert _balance(client, admin, "F1") == {"EUR": {"pending": "5.00"}}
    # Thirty days after A2, to the second: approved.  Running again changes nothing.
    assert _run(client, admin, "2025-04-01T10:00:00Z") == {"approved": 2}
    assert _run(client, admin, "2025-04-01T10:00:00Z") == {"approved": 2}
    assert len(_lines(cypher)) == 2
    # The member's own app key sees its rewards; another member's key does not.
    mine = client.get("/api/v1/members/F1/rewards", headers=key_for("app", "F1")).get_json()
    assert [(x["kind"], x["event_id"], x["amount"], x["status"]) for x in mine["items"]] == [
        ("friend", "A2", "5.00", "approved")]
    assert client.get("/api/v1/members/S/rewards", headers=key_for("app", "F1")).status_code == 404
    assert client.get("/api/v1/members/NOBODY/rewards", headers=admin).status_code == 404


def test_a_refund_inside_the_hold_cancels_and_after_it_claws_back(client, admin, programme):
    _orders(client, admin, ("B1", "F1", "40.00", "EUR", "2025-03-01T00:00:00Z"),
            ("B2", "F2", "60.00", "EUR", "2025-03-01T00:00:00Z"))
    # B1 refunded a second before its hold ends; B2 the second it ends (approved, then taken back).
    for order, at in (("B1", "2025-03-30T23:59:59Z"), ("B2", "2025-03-31T00:00:00Z")):
        assert client.post(f"/api/v1/orders/{order}/refund", json={"at": at}, headers=admin).status_code == 200
    assert _run(client, admin, "2025-05-01T00:00:00Z") == {"approved": 4, "canceled": 2}
    # S: 10.00 for B1 canceled; 10.00 for B2 approved and -10.00 clawed back.  F2: 6.00 and -6.00.
    assert _balance(client, admin, "S") == {"EUR": {"approved": "0.00", "canceled": "10.00"}}
    assert _balance(client, admin, "F2") == {"EUR": {"approved": "0.00"}}
    assert _balance(client, admin, "F1") == {"EUR": {"canceled": "4.00"}}


def test_a_month_cap_per_currency_to_the_boundary(client, admin, programme):
    rule = {**RULE, "caps": {"month": {"EUR": "20.00"}}, "milestones": []}
    assert client.put("/api/v1/reward-rules/W", json=rule, headers=admin).get_json()["version"] == 2
    # Three first orders in March: 10 + 10 reach the 20.00 cap exactly; the third would pass it.
    _orders(client, admin, ("C1", "F1", "30.00", "EUR", "2025-03-05T00:00:00Z"),
            ("C2", "F2", "30.00", "EUR", "2025-03-06T00:00:00Z"), ("C3", "F3", "30.00", "EUR", "2025-03-31T23:59:59Z"))
    assert _run(client, admin, "2025-03-31T23:59:59Z") == {"capped": 1, "pending": 5}
    lines = client.get("/api/v1/members/S/rewards", headers=admin).get_json()["items"]
    assert [(x["event_id"], x["status"], x["cap"]) for x in lines] == [
        ("C3", "capped", "month"), ("C2", "pending", None), ("C1", "pending", None)]


def test_a_held_referral_earns_nothing_until_approved_then_all_it_was_owed(client, admin, programme):
    assert post_csv(client, "identifiers", "member_id,kind,value\nS,device,dev-S\n", admin).status_code == 200
    signup = {"id": "H", "joined_at": "2025-03-01T00:00:00Z", "status": "active", "country": "DE", "sponsor_id": "S",
              "identifiers": [{"kind": "device", "value": "dev-S"}]}
    assert client.post("/api/v1/members", json=signup, headers=admin).get_json()["attribution"]["status"] == "held"
    _orders(client, admin, ("D1", "H", "100.00", "EUR", "2025-03-02T00:00:00Z"))
    assert _run(client, admin, "2025-06-01T00:00:00Z") == {"held": 2}
    assert _balance(client, admin, "S") == {"EUR": {"held": "10.00"}}
    assert client.post("/api/v1/referrals/H/approve", headers=admin).status_code == 200
    assert _run(client, admin, "2025-06-01T00:00:00Z") == {"approved": 2}
    assert _balance(client, admin, "H") == {"EUR": {"approved": "10.00"}}


def test_a_milestone_is_reached_once_even_by_runs_at_once(client, admin, programme, services, cypher):
    assert client.put("/api/v1/reward-rules/W", json=MILESTONE_RULE, headers=admin).status_code == 200
    # F1..F3 (imported, so approved) are S's third referral on 2025-02-03: the badge and 7.00.
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda _: services.rewards.run("W", "2025-02-03T00:00:00Z"), range(4)))
    assert _lines(cypher, "kind = 'milestone'", "member, minor, badge") == [
        {"member": "S", "minor": 700, "badge": "starter"}]
    assert client.get("/api/v1/members/S/badges", headers=admin).get_json()["items"] == [
        {"badge": "starter", "rule_id": "W", "at": "2025-02-03T00:00:00Z"}]
    # The day before, S had two referrals: a run through then finds no milestone.
    services.rewards.run("W", "2025-02-02T23:59:59Z")
    assert _lines(cypher, "kind = 'milestone'", "status") == [{"status": "canceled"}]


def test_a_milestone_whose_time_moves_to_another_month_stays_one_line(client, admin, programme, cypher):
    rule = {**RULE, "milestones": [{"referrals": 1, "badge": "first", "reward": {"EUR": "1.00"}}]}
    assert client.put("/api/v1/reward-rules/W", json=rule, headers=admin).status_code == 200
    # S's first approved referral is F1 (February), until H, who joined in January on S's
    # device and is held, is approved: then H is, and the milestone's time is January's.
    assert post_csv(client, "identifiers", "member_id,kind,value\nS,device,dev-S\n", admin).status_code == 200
    signup = {"id": "H", "joined_at": "2025-01-15T00:00:00Z", "status": "active", "country": "DE", "sponsor_id": "S",
              "identifiers": [{"kind": "device", "value": "dev-S"}]}
    assert client.post("/api/v1/members", json=signup, headers=admin).get_json()["attribution"]["status"] == "held"
    _run(client, admin, "2025-03-01T00:00:00Z")
    assert client.post("/api/v1/referrals/H/approve", headers=admin).status_code == 200
    _run(client, admin, "2025-03-01T00:00:00Z")
    assert _lines(cypher, "kind = 'milestone'", "member, status, minor") == [
        {"member": "S", "status": "approved", "minor": 100}]
    assert client.get("/api/v1/members/S/badges", headers=admin).get_json()["items"] == [
        {"badge": "first", "rule_id": "W", "at": "2025-01-15T00:00:00Z"}]


def test_bad_rules_are_refused_with_field_errors_and_the_cli_works(client, admin, programme, settings, tmp_path):
    bad = client.put("/api/v1/reward-rules/W", json={"referrer": {"share": "2"}, "hold_days": 400,
                                                   "caps": {"week": {}}}, headers=admin)
    assert bad.status_code == 422
    assert set(bad.get_json()["errors"]) == {"referrer.share", "hold_days", "caps"}
    assert client.post("/api/v1/reward-runs", json={"rule_id": "NOPE", "through": "2025-01-01"},
                       headers=admin).status_code == 404
    path = tmp_path / "rule.json"
    path.write_text(json.dumps({**MILESTONE_RULE, "hold_days": 0}))
    assert run_cli(settings, "rewards", "put-rule", "W", str(path)).stdout == "Reward rule W version 2.\n"
    _orders(client, admin, ("E1", "F1", "50.00", "EUR", "2025-03-01T00:00:00Z"))
    ran = run_cli(settings, "rewards", "run", "--rule", "W", "--through", "2025-03-02")
    assert ran.returncode == 0 and "  approved: 3 lines\n" in ran.stdout, ran.stdout + ran.stderr
    # S: 10.00 for E1 and 7.00 at the milestone; F1: 5.00.
    assert run_cli(settings, "rewards", "balance", "S").stdout == "EUR  approved 17.00\nbadges: starter\n"


def test_payouts_take_approved_lines_and_statements_once_above_the_minimum(client, admin, programme, services,
                                                                         settings):
    assert client.put("/api/v1/reward-rules/W", json={**RULE, "hold_days": 0}, headers=admin).status_code == 200
    # F1 and F2 buy 50.00 and 30.00 EUR from S: S earns 10.00 + 10.00 in rewards, F1 5.00 and
    # F2 3.00.  F3 sells 80.00 EUR retail: a one-level retail plan pays its sponsor S 8.00.
    _orders(client, admin, ("P1", "F1", "50.00", "EUR", "2025-03-01T00:00:00Z"),
            ("P2", "F2", "30.00", "EUR", "2025-03-02T00:00:00Z"))
    retail = {"id": "P3", "seller_id": "F3", "amount": "80.00", "currency": "EUR", "kind": "retail",
              "at": "2025-03-03T00:00:00Z", "status": "paid", "customer_ref": "c1"}
    assert client.post("/api/v1/orders", json={"orders": [retail]}, headers=admin).status_code == 200
    services.commissions.put_plan("C", ["0.10"], False, ["retail"])
    services.commissions.run("C", "2025-03-01", "2025-04-01")
    assert _run(client, admin, "2025-04-01T00:00:00Z") == {"approved": 4}
    first = client.post("/api/v1/payouts", json={"through": "2025-04-01", "minimum": {"EUR": "5.00"}}, headers=admin)
    assert first.status_code == 201, first.get_json()
    batch = first.get_json()
    # S: 20.00 of rewards and its 8.00 statement; F1 reaches the minimum exactly; F2 waits.
    assert [(i["member_id"], i["amount"], i["statements"], i["reward_lines"]) for i in batch["items"]] == [
        ("F1", "5.00", 0, 1), ("S", "28.00", 1, 2)]
    again = client.post("/api/v1/payouts", json={"through": "2025-04-01", "minimum": {"EUR": "5.00"}}, headers=admin)
    assert again.get_json()["items"] == []  # a line or statement is in one batch at most
    assert _balance(client, admin, "S") == {"EUR": {"in_payout": "20.00"}}
    paid = client.post(f"/api/v1/payouts/{batch['id']}/paid", headers=admin).get_json()
    assert paid["status"] == "paid" and paid["paid_at"]
    # A later run leaves settled lines as they are; F2's 3.00 is still approved, unpaid.
    assert _run(client, admin, "2025-04-02T00:00:00Z") == {"approved": 4}
    assert _balance(client, admin, "S") == {"EUR": {"paid": "20.00"}}
    assert _balance(client, admin, "F2") == {"EUR": {"approved": "3.00"}}
    exported = run_cli(settings, "payouts", "export", batch["id"])
    assert exported.stdout.splitlines() == ["member_id,currency,amount,statements,reward_lines",
                                            "F1,EUR,5.00,0,1", "S,EUR,28.00,1,2"]


def test_a_run_waits_for_the_buckets_a_payout_batch_being_made_holds(client, admin, programme, services):
    # New lines no batch can take before the run commits them: written at once.
    _orders(client, admin, ("P1", "F1", "50.00", "EUR", "2025-03-01T00:00:00Z"))
    assert services.rewards.run("W", "2025-03-10T00:00:00Z")["counts"] == [2]
    # A batch being made locks the buckets it reads (here a lease on S's and F1's, as long as
    # the block runs): a run approving their lines waits for it.  March holds two lines: a
    # month of one bucket.
    held = [[202503, 0]]
    with ThreadPoolExecutor(max_workers=1) as pool:
        with services.db.lease({"graphsvc_test": "payout batch"}, 60, "rewards/lock_buckets", rule_id="W",
                               buckets=held):
            approving = pool.submit(services.rewards.run, "W", "2025-04-10T00:00:00Z")
            time.sleep(2)
            assert not approving.done()
            assert _balance(client, admin, "S") == {"EUR": {"pending": "10.00"}}
        assert approving.result(timeout=60)["written"] == 2
    assert _balance(client, admin, "S") == {"EUR": {"approved": "10.00"}}


def test_leaderboards_rank_with_ties_by_id_and_leave_held_referrals_out(client, admin, programme):
    # February: S has three imported referrals; S2 gets two by signup, a third held on S's device.
    assert post_csv(client, "identifiers", "member_id,kind,value\nS,device,dev-S\n", admin).status_code == 200
    for i, extra in enumerate(({}, {}, {"identifiers": [{"kind": "device", "value": "dev-S"}]})):
        body = {"id": f"T{i}", "joined_at": f"2025-02-1{i}T00:00:00Z", "status": "active", "country": "DE",
                "sponsor_id": "S2" if i < 2 else "F1"} | extra
        assert client.post("/api/v1/members", json=body, headers=admin).status_code == 201
    board = client.get("/api/v1/leaderboards?by=referrals&period=month&at=2025-02-15", headers=admin).get_json()
    assert (board["from"], board["to"]) == ("2025-02-01T00:00:00+00:00", "2025-03-01T00:00:00+00:00")
    assert [(i["rank"], i["member_id"], i["referrals"]) for i in board["items"]] == [(1, "S", 3), (2, "S2", 2)]
    # F1's one referral is held: F1 is not on the board.  Sales: what referred friends sold.
    retail = [{"id": f"R{i}", "seller_id": seller, "amount": amount, "currency": "EUR", "kind": "retail",
               "at": "2025-02-20T00:00:00Z", "status": "paid", "customer_ref": f"c{i}"}
              for i, (seller, amount) in enumerate((("F1", "30.00"), ("T0", "20.00"), ("T1", "10.00"), ("T2", "99.00")))]
    assert client.post("/api/v1/orders", json={"orders": retail}, headers=admin).status_code == 200
    sales = client.get("/api/v1/leaderboards?by=sales&at=2025-02-15&currency=EUR", headers=admin).get_json()
    # S: F1's 30.00; S2: T0 + T1 = 30.00, a tie broken by id; T2's sale is behind a held referral.
    assert [(i["member_id"], i["amount"]) for i in sales["items"]] == [("S", "30.00"), ("S2", "30.00")]
    assert client.get("/api/v1/leaderboards?by=sales&at=2025-02-15", headers=admin).status_code == 422


def test_the_earnings_leaderboard_counts_a_month_s_rewards_and_milestones(client, admin, programme):
    assert client.put("/api/v1/reward-rules/W", json=MILESTONE_RULE, headers=admin).status_code == 200
    # February: S 10.00 for G1 and 7.00 at its third referral (F3's join), F1 5.00.  March:
    # S 10.00 each for G2 and G3, F3 20.00 (a tie with S, broken by id), F2 3.00.
    _orders(client, admin, ("G1", "F1", "50.00", "EUR", "2025-02-20T00:00:00Z"),
            ("G2", "F2", "30.00", "EUR", "2025-03-05T00:00:00Z"), ("G3", "F3", "200.00", "EUR", "2025-03-06T00:00:00Z"))
    _run(client, admin, "2025-03-10T00:00:00Z")

    def board(at):
        response = client.get(f"/api/v1/leaderboards?by=earnings&at={at}&currency=EUR", headers=admin).get_json()
        return [(i["rank"], i["member_id"], i["amount"]) for i in response["items"]]

    assert board("2025-02-15") == [(1, "S", "17.00"), (2, "F1", "5.00")]
    assert board("2025-03-31T23:59:59Z") == [(1, "F3", "20.00"), (2, "S", "20.00"), (3, "F2", "3.00")]
    assert board("2025-04-01") == []


# The balance as the lines give it, summed here: the independent check of the totals that
# runs and payouts keep in each bucket (per member, currency, status and batch).
LINE_TOTALS = f"""CALL () {{ {LINES} }}
                 WITH * WHERE currency <> '' AND minor <> 0
                 OPTIONAL MATCH (b:PayoutBatch {{id: payout}})
                 WITH member, currency, CASE WHEN b IS NULL THEN status WHEN b.status = 'paid' THEN 'paid'
                                             ELSE 'in_payout' END AS status, minor
                 RETURN member, currency, status, sum(minor) AS amount, count(*) AS lines
                 ORDER BY member, currency, status"""
KEPT_TOTALS = """MATCH (x:RewardBucket)
                 UNWIND range(0, size(x.t_members) - 1) AS i
                 OPTIONAL MATCH (b:PayoutBatch {id: x.t_payouts[i]})
                 WITH x.t_members[i] AS member, x.t_currencies[i] AS currency,
                      CASE WHEN b IS NULL THEN x.t_statuses[i] WHEN b.status = 'paid' THEN 'paid'
                           ELSE 'in_payout' END AS status, x.t_amounts[i] AS amount, x.t_lines[i] AS lines
                 RETURN member, currency, status, sum(amount) AS amount, sum(lines) AS lines
                 ORDER BY member, currency, status"""


def _written(client, admin, through, rule="W"):
    response = client.post("/api/v1/reward-runs", json={"rule_id": rule, "through": through}, headers=admin)
    assert response.status_code == 201, response.get_json()
    run = response.get_json()
    return run["written"], run["canceled_since"]


# A bucket's lines fill nodes of PART lines: as deployed, and two a node, so that S's and
# F1's lines span nodes.
PARTS = pytest.mark.parametrize("part", [4096, 2], ids=["one-node-a-bucket", "two-lines-a-node"])


@PARTS
def test_runs_write_only_what_changed_and_the_totals_follow_every_change(client, admin, programme, services,
                                                                         cypher, monkeypatch, part):
    monkeypatch.setattr("graphsvc.rewards.buckets.PART", part)
    # H signs up under F1 on F1's device: held for review.
    assert post_csv(client, "identifiers", "member_id,kind,value\nF1,device,dev-F1\n", admin).status_code == 200
    signup = {"id": "H", "joined_at": "2025-03-01T00:00:00Z", "status": "active", "country": "DE", "sponsor_id": "F1",
              "identifiers": [{"kind": "device", "value": "dev-F1"}]}
    assert client.post("/api/v1/members", json=signup, headers=admin).get_json()["attribution"]["status"] == "held"
    _orders(client, admin, ("G1", "F1", "50.00", "EUR", "2025-03-01T00:00:00Z"),
            ("G2", "F2", "30.00", "EUR", "2025-03-02T00:00:00Z"), ("G3", "F3", "40.00", "EUR", "2025-03-03T00:00:00Z"),
            ("G4", "H", "20.00", "EUR", "2025-03-04T00:00:00Z"))

    def check():
        assert cypher(KEPT_TOTALS) == cypher(LINE_TOTALS)

    # Eight new lines: S 10.00 for each of F1, F2, F3 and F1 5.00, F2 3.00, F3 4.00, pending;
    # F1 10.00 for H and H 2.00, held.  Again: nothing changed, nothing written.
    assert _written(client, admin, "2025-03-10T00:00:00Z") == (8, 0)
    check()
    assert _balance(client, admin, "S") == {"EUR": {"pending": "30.00"}}
    assert _balance(client, admin, "F1") == {"EUR": {"pending": "5.00", "held": "10.00"}}
    assert _written(client, admin, "2025-03-10T00:00:00Z") == (0, 0)
    # G2 refunded inside its hold: its two lines are canceled, the rest as stored.
    refund = client.post("/api/v1/orders/G2/refund", json={"at": "2025-03-05T00:00:00Z"}, headers=admin)
    assert refund.status_code == 200
    assert _written(client, admin, "2025-03-10T00:00:00Z") == (2, 0)
    check()
    # G1 and G3 end their hold by 2025-04-02 (G3 to the second): four lines approved.
    assert _written(client, admin, "2025-04-02T00:00:00Z") == (4, 0)
    check()
    assert _balance(client, admin, "S") == {"EUR": {"approved": "20.00", "canceled": "10.00"}}
    # Paid out (S 20.00, F1 5.00, F3 4.00), then H's referral rejected (H moves up to S): its two held lines are
    # no longer produced and are canceled; the settled lines stay as they are.
    batch = client.post("/api/v1/payouts", json={"through": "2025-04-02"}, headers=admin).get_json()
    check()
    assert _balance(client, admin, "S") == {"EUR": {"in_payout": "20.00", "canceled": "10.00"}}
    assert client.post(f"/api/v1/payouts/{batch['id']}/paid", headers=admin).status_code == 200
    assert client.post(f"/api/v1/payouts/{batch['id']}/paid", headers=admin).status_code == 200  # once
    check()
    assert client.post("/api/v1/referrals/H/reject", headers=admin).status_code == 200
    assert _written(client, admin, "2025-04-02T00:00:00Z") == (0, 2)
    check()
    assert _balance(client, admin, "F1") == {"EUR": {"paid": "5.00", "canceled": "10.00"}}
    assert _balance(client, admin, "H") == {"EUR": {"canceled": "2.00"}}


def test_a_rule_whose_id_starts_with_another_s_keeps_its_lines_apart(client, admin, programme, cypher):
    # W:2's keys start with 'W:', as W's do: a run finds its rule's buckets by the rule's id.
    assert client.put("/api/v1/reward-rules/W:2", json=RULE, headers=admin).status_code == 200
    _orders(client, admin, ("G1", "F1", "50.00", "EUR", "2025-03-01T00:00:00Z"))
    assert _written(client, admin, "2025-03-10T00:00:00Z", rule="W:2") == (2, 0)
    assert _written(client, admin, "2025-03-10T00:00:00Z") == (2, 0)  # W's own two, W:2's left alone
    assert _written(client, admin, "2025-03-10T00:00:00Z", rule="W:2") == (0, 0)
    assert _lines(cypher, columns="rule, status, count(*) AS n ORDER BY rule") == [
        {"rule": "W", "status": "pending", "n": 2}, {"rule": "W:2", "status": "pending", "n": 2}]


def test_a_later_run_rewrites_only_the_months_whose_lines_change(client, admin, programme, cypher):
    _orders(client, admin, ("G1", "F1", "50.00", "EUR", "2025-02-10T00:00:00Z"),
            ("G2", "F2", "30.00", "EUR", "2025-03-05T00:00:00Z"))
    first = client.post("/api/v1/reward-runs", json={"rule_id": "W", "through": "2025-03-20T00:00:00Z"},
                        headers=admin).get_json()
    # G1's hold ended on 2025-03-12: approved; G2's ends on 2025-04-04: pending until then.
    assert dict(zip(first["statuses"], first["counts"])) == {"approved": 2, "pending": 2}
    later = client.post("/api/v1/reward-runs", json={"rule_id": "W", "through": "2025-04-10T00:00:00Z"},
                        headers=admin).get_json()
    assert later["written"] == 2
    # February's two lines did not change: its node is the first run's still.  Each month
    # holds two lines: one bucket.
    assert cypher("""MATCH (x:RewardBucket) MATCH (d:RewardMonth {rule_id: x.rule_id, month: x.month})
                     RETURN x.month AS month, d.buckets AS buckets, x.run_id AS run ORDER BY month""") == [
        {"month": 202502, "buckets": 1, "run": first["id"]}, {"month": 202503, "buckets": 1, "run": later["id"]}]


def test_migrate_keeps_one_payout_lock_of_two_an_older_release_made(cypher, services):
    # Before the lock had its constraint, the first two batches made at once could each create one.
    cypher("DROP CONSTRAINT payout_lock_id_unique")
    cypher("CREATE (:PayoutLock {id: 'payouts', version: 1}), (:PayoutLock {id: 'payouts', version: 1})")
    schema.migrate(services.db)
    assert cypher("MATCH (lock:PayoutLock) RETURN count(lock) AS n") == [{"n": 1}]
    assert schema.missing(services.db) == []


def test_migrate_drops_the_rule_index_an_older_release_kept_on_every_line(cypher, services):
    cypher("CREATE INDEX reward_line_rule FOR (x:RewardLine) ON (x.rule_id, x.run_id)")
    schema.migrate(services.db)
    assert cypher("SHOW INDEXES YIELD name WHERE name = 'reward_line_rule' RETURN name") == []


def _pages(client, headers, member, limit):
    """Every page of the member's lines, following the cursors."""
    pages, cursor = [], None
    while True:
        query = f"&cursor={cursor}" if cursor else ""
        page = client.get(f"/api/v1/members/{member}/rewards?limit={limit}{query}", headers=headers).get_json()
        pages.append(page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            return pages


@PARTS
def test_a_member_s_lines_page_newest_first_with_ties_by_key(client, admin, programme, key_for, monkeypatch, part):
    monkeypatch.setattr("graphsvc.rewards.buckets.PART", part)
    # F3 buys first; F1 and F2 at the same second later: S's lines are G5's, then G4's and
    # G3's in key order backwards, newest first.
    _orders(client, admin, ("G3", "F1", "50.00", "EUR", "2025-03-02T00:00:00Z"),
            ("G4", "F2", "30.00", "EUR", "2025-03-02T00:00:00Z"), ("G5", "F3", "40.00", "EUR", "2025-03-01T00:00:00Z"))
    _run(client, admin, "2025-03-10T00:00:00Z")
    pages = _pages(client, key_for("app", "S"), "S", 2)
    assert all(x["key"] == f"W:{x['event_id']}:referrer:S" for page in pages for x in page)
    assert [[(x["event_id"], x["at"]) for x in page] for page in pages] == [
        [("G4", "2025-03-02T00:00:00Z"), ("G3", "2025-03-02T00:00:00Z")], [("G5", "2025-03-01T00:00:00Z")]]


@PARTS
@pytest.mark.parametrize("limit", [1, 2, 3])
def test_a_member_s_lines_page_newest_first_through_months_and_milestones(client, admin, programme, monkeypatch,
                                                                         part, limit):
    monkeypatch.setattr("graphsvc.rewards.buckets.PART", part)
    assert client.put("/api/v1/reward-rules/W", json=MILESTONE_RULE, headers=admin).status_code == 200
    # S's lines: the milestone at F3's join (2025-02-03), then a referrer line each in
    # February, April and June, newest first whatever the page size.
    _orders(client, admin, ("G1", "F1", "50.00", "EUR", "2025-02-10T00:00:00Z"),
            ("G2", "F2", "30.00", "EUR", "2025-04-05T00:00:00Z"), ("G3", "F3", "40.00", "EUR", "2025-06-07T00:00:00Z"))
    _run(client, admin, "2025-06-10T00:00:00Z")
    pages = _pages(client, admin, "S", limit)
    assert all(0 < len(page) <= limit for page in pages)
    assert [x["event_id"] for page in pages for x in page] == ["G3", "G2", "G1", "milestone-3"]


def test_migrate_moves_lines_an_older_release_stored_a_node_each_into_buckets(client, admin, programme, services,
                                                                             cypher):
    # As an older release left them: S's 10.00 for F1's order A1, paid out in batch B0; F1's
    # 5.00, approved; S's badge; the totals per member; the key's constraint.
    cypher("CREATE CONSTRAINT reward_line_key_unique IF NOT EXISTS FOR (l:RewardLine) REQUIRE l.key IS UNIQUE")
    cypher("""CREATE (:RewardLine {key: 'W:A1:referrer:S', rule_id: 'W', event_id: 'A1', kind: 'referrer',
                                   beneficiary_id: 'S', amount_minor: 1000, currency: 'EUR', status: 'approved',
                                   at: datetime('2025-03-01T00:00:00Z'), approves_at: datetime('2025-03-31T00:00:00Z'),
                                   payout_id: 'B0', state: 's1'}),
                     (:RewardLine {key: 'W:A1:friend:F1', rule_id: 'W', event_id: 'A1', kind: 'friend',
                                   beneficiary_id: 'F1', amount_minor: 500, currency: 'EUR', status: 'approved',
                                   at: datetime('2025-03-01T00:00:00Z'), approves_at: datetime('2025-03-31T00:00:00Z'),
                                   state: 's2'}),
                     (:RewardLine {key: 'W:milestone-3:milestone:S', rule_id: 'W', event_id: 'milestone-3',
                                   kind: 'milestone', beneficiary_id: 'S', amount_minor: 0, currency: '',
                                   status: 'approved', badge: 'starter', at: datetime('2025-02-03T00:00:00Z')}),
                     (:RewardTotal {member_id: 'S', currency: 'EUR', status: 'paid', amount_minor: 1000, lines: 1}),
                     (:PayoutBatch {id: 'B0', through: datetime('2025-04-01T00:00:00Z'), status: 'paid',
                                    created_at: datetime('2025-04-01T00:00:00Z'),
                                    paid_at: datetime('2025-04-02T00:00:00Z'), members: 1, minimum: []})""")
    schema.migrate(services.db)
    assert cypher("MATCH (x:RewardLine|RewardTotal) RETURN count(x) AS n") == [{"n": 0}]
    assert cypher("SHOW CONSTRAINTS YIELD name WHERE name = 'reward_line_key_unique' RETURN name") == []
    assert _balance(client, admin, "S") == {"EUR": {"paid": "10.00"}}
    assert _balance(client, admin, "F1") == {"EUR": {"approved": "5.00"}}
    assert client.get("/api/v1/members/S/badges", headers=admin).get_json()["items"] == [
        {"badge": "starter", "rule_id": "W", "at": "2025-02-03T00:00:00Z"}]
    batch = client.get("/api/v1/payouts/B0", headers=admin).get_json()
    assert [(i["member_id"], i["amount"], i["statements"], i["reward_lines"]) for i in batch["items"]] == [
        ("S", "10.00", 0, 1)]
    page = client.get("/api/v1/members/S/rewards", headers=admin).get_json()["items"]
    assert [(x["event_id"], x["amount"], x["status"], x["approves_at"]) for x in page] == [
        ("A1", "10.00", "approved", "2025-03-31T00:00:00Z"), ("milestone-3", None, "approved", None)]
    # Migrating again changes nothing.
    nodes = "MATCH (x:RewardBucket) RETURN properties(x) AS p ORDER BY x.rule_id, x.month, x.bucket, x.part"
    before = cypher(nodes)
    schema.migrate(services.db)
    assert cypher(nodes) == before
