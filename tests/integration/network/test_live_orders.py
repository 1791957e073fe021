"""Live orders and refunds: the import's rules per order, idempotent on the order id."""

from tests.conftest import ledger_lines, post_csv

MEMBERS = """id,sponsor_id,joined_at,status,country
F,,2024-01-01T00:00:00Z,active,US
S,F,2024-01-02T00:00:00Z,active,US
"""
ORDER = {"id": "L1", "seller_id": "S", "buyer_id": None, "amount": "120.50", "currency": "EUR", "kind": "retail",
         "at": "2024-01-10T12:00:00Z", "status": "paid", "customer_ref": "c-1"}


def _post(client, admin, *orders):
    return client.post("/api/v1/orders", json={"orders": list(orders)}, headers=admin)


def test_a_live_order_is_stored_once_and_the_same_body_answers_the_same(client, admin, cypher):
    assert post_csv(client, "members", MEMBERS, admin).status_code == 200
    first = _post(client, admin, ORDER)
    assert first.status_code == 200, first.get_json()
    assert first.get_json()["orders"] == [{"id": "L1", "seller_id": "S", "buyer_id": None, "amount": "120.50",
                                           "currency": "EUR", "kind": "retail", "at": "2024-01-10T12:00:00+00:00",
                                           "status": "paid"}]
    stored = cypher("MATCH (s:Member)-[:SOLD]->(o:Order {id: 'L1'}) RETURN s.id AS s, o.amount_minor AS a, "
                    "o.currency AS c, o.status AS st, o.customer_hash AS h")
    assert stored[0]["s"] == "S" and stored[0]["a"] == 12050 and stored[0]["c"] == "EUR" and stored[0]["h"] != "c-1"
    again = _post(client, admin, ORDER)
    assert (again.status_code, again.get_json()) == (200, first.get_json())
    assert cypher("MATCH (o:Order) RETURN count(o) AS n") == [{"n": 1}]
    # The same id with another amount is refused, and nothing is rewritten.
    other = _post(client, admin, {**ORDER, "amount": "99.00"})
    assert other.status_code == 409 and "L1" in other.get_json()["detail"]
    assert cypher("MATCH (o:Order {id: 'L1'}) RETURN o.amount_minor AS a") == [{"a": 12050}]


def test_bad_live_orders_are_refused_with_reasons_and_nothing_is_written(client, admin, cypher):
    assert post_csv(client, "members", MEMBERS, admin).status_code == 200
    bad = _post(client, admin, {**ORDER, "id": "L2"}, {**ORDER, "id": "L3", "seller_id": "GHOST"},
                {**ORDER, "id": "L4", "amount": "1.234"})
    assert bad.status_code == 422
    assert sorted(bad.get_json()["errors"]) == ["order 2", "order 3"]
    assert cypher("MATCH (o:Order) RETURN count(o) AS n") == [{"n": 0}]


def test_a_refund_is_reversed_by_the_next_run_of_the_plan_that_paid_it(client, admin, services, cypher):
    assert post_csv(client, "members", MEMBERS, admin).status_code == 200
    assert _post(client, admin, ORDER).status_code == 200
    services.commissions.put_plan("P", ["0.10"], True, ["retail"])
    january = services.commissions.run("P", "2024-01-01", "2024-02-01")
    assert january["totals"] == [{"currency": "EUR", "total": "12.05", "lines": 1}]  # F: 10% of 120.50
    refund = client.post("/api/v1/orders/L1/refund", json={"at": "2024-03-20T09:30:00+01:00"}, headers=admin)
    assert (refund.status_code, refund.get_json()) == (
        200, {"id": "L1", "status": "refunded", "refunded_at": "2024-03-20T08:30:00Z"})
    # Again, with or without a time: the first refund's answer (an order is refunded once).
    assert client.post("/api/v1/orders/L1/refund", headers=admin).get_json() == refund.get_json()
    assert client.post("/api/v1/orders/NOPE/refund", headers=admin).status_code == 404
    services.commissions.run("P", "2024-02-01", "2024-03-01")
    reversals = [(r["o"], r["b"], r["a"], r["r"]) for r in ledger_lines(cypher) if r["k"] == "reversal"]
    assert reversals == [("L1", "F", -1205, january["id"])]
