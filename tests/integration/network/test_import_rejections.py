"""A bad file is refused whole: 422 naming every bad row, and nothing written."""

import pytest

from tests.conftest import post_csv

BASE_MEMBERS = """id,sponsor_id,joined_at,status,country
A,,2024-01-01T00:00:00Z,active,US
B,A,2024-01-02T00:00:00Z,active,US
C,B,2024-01-03T00:00:00Z,inactive,GB
"""
HEADER_M = "id,sponsor_id,joined_at,status,country\n"
HEADER_O = "id,seller_id,buyer_id,amount,currency,kind,at,status,customer_ref\n"
HEADER_I = "member_id,kind,value\n"


@pytest.fixture()
def base(client, admin):
    assert post_csv(client, "members", BASE_MEMBERS, admin).status_code == 200


def _state(cypher):
    return (
        cypher("MATCH (n) WHERE NOT n:AuditEvent AND NOT n:ApiKey AND NOT n:Import "
               "RETURN labels(n) AS l, n.id AS id, properties(n) AS p ORDER BY id, l"),
        cypher("MATCH (a)-[r]->(b) RETURN type(r) AS t, a.id AS a, b.id AS b ORDER BY t, a, b"),
    )


REJECTIONS = [
    # (kind, body, {row: fragment of the reason})
    ("members", HEADER_M + "D,NOPE,2024-01-04T00:00:00Z,active,US\n", {"row 2": "NOPE does not exist"}),
    ("members", HEADER_M + "D,A,2024-01-04T00:00:00Z,active,US\nD,A,2024-01-04T00:00:00Z,active,US\n",
     {"row 3": "is a duplicate of row"}),
    ("members", HEADER_M + "E,F,2024-01-04T00:00:00Z,active,US\nF,G,2024-01-04T00:00:00Z,active,US\n"
     "G,E,2024-01-04T00:00:00Z,active,US\n", {"row 2": "cycle", "row 3": "cycle", "row 4": "cycle"}),
    # A cycle through stored members: A (founder) re-sponsored under its own downline C.
    ("members", HEADER_M + "A,C,2024-01-01T00:00:00Z,active,US\n", {"row 2": "cycle"}),
    ("members", HEADER_M + "D,D,2024-01-04T00:00:00Z,active,US\n", {"row 2": "themselves"}),
    ("members", HEADER_M + "D,A,yesterday,active,US\n", {"row 2": "joined_at"}),
    ("members", HEADER_M + "D,A,2024-01-04T00:00:00,active,US\n", {"row 2": "joined_at"}),
    ("members", HEADER_M + "D,A,2024-01-04T00:00:00Z,sleeping,US\n", {"row 2": "status"}),
    ("members", HEADER_M + "D,A,2024-01-04T00:00:00Z,active,USA\n", {"row 2": "country"}),
    ("members", HEADER_M + "D E,A,2024-01-04T00:00:00Z,active,US\n", {"row 2": "id"}),
    ("members", HEADER_M + "D,A,2024-01-04T00:00:00Z,active,US,extra\n", {"row 2": "more fields"}),
    ("members", "id,sponsor,joined_at,status,country\nD,A,2024-01-04T00:00:00Z,active,US\n", {"row 1": "sponsor_id"}),
    ("orders", HEADER_O + "O1,NOPE,,10.00,USD,retail,2024-02-01T00:00:00Z,paid,\n", {"row 2": "NOPE does not exist"}),
    ("orders", HEADER_O + "O1,A,NOPE,10.00,USD,personal,2024-02-01T00:00:00Z,paid,\n", {"row 2": "buyer_id"}),
    ("orders", HEADER_O + "O1,A,,10.005,USD,retail,2024-02-01T00:00:00Z,paid,\n", {"row 2": "2 minor digits"}),
    ("orders", HEADER_O + "O1,A,,10.5,JPY,retail,2024-02-01T00:00:00Z,paid,\n", {"row 2": "0 minor digits"}),
    ("orders", HEADER_O + "O1,A,,-3.00,USD,retail,2024-02-01T00:00:00Z,paid,\n", {"row 2": "amount"}),
    ("orders", HEADER_O + "O1,A,,ten,USD,retail,2024-02-01T00:00:00Z,paid,\n", {"row 2": "amount"}),
    ("orders", HEADER_O + "O1,A,,10.00,XXX,retail,2024-02-01T00:00:00Z,paid,\n", {"row 2": "currency"}),
    ("orders", HEADER_O + "O1,A,,10.00,USD,gift,2024-02-01T00:00:00Z,paid,\n", {"row 2": "kind"}),
    ("orders", HEADER_O + "O1,A,,10.00,USD,retail,2024-02-01T00:00:00Z,lost,\n", {"row 2": "status"}),
    ("orders", HEADER_O + "O1,A,,1.00,USD,retail,2024-02-01T00:00:00Z,paid,\n"
     "O1,B,,1.00,USD,retail,2024-02-01T00:00:00Z,paid,\n", {"row 3": "duplicate"}),
    ("identifiers", HEADER_I + "NOPE,email,x@example.com\n", {"row 2": "NOPE does not exist"}),
    ("identifiers", HEADER_I + "A,shoe,42\n", {"row 2": "kind"}),
    ("identifiers", HEADER_I + "A,ip,999.1.1.1\n", {"row 2": "usable ip"}),
    # Amounts are exact decimals with the currency's digits: no exponent, sign, separator or
    # non-ASCII digit, and never beyond the documented maximum (so no run can overflow).
    ("orders", HEADER_O + "O1,A,,1e5,USD,retail,2024-02-01T00:00:00Z,paid,\n", {"row 2": "not a decimal number"}),
    ("orders", HEADER_O + "O1,A,,-0,USD,retail,2024-02-01T00:00:00Z,paid,\n", {"row 2": "not a decimal number"}),
    ("orders", HEADER_O + "O1,A,,1_000.00,USD,retail,2024-02-01T00:00:00Z,paid,\n", {"row 2": "not a decimal"}),
    ("orders", HEADER_O + "O1,A,,\u0661\u0662.00,USD,retail,2024-02-01T00:00:00Z,paid,\n", {"row 2": "not a decimal"}),
    ("orders", HEADER_O + "O1,A,,1e30,USD,retail,2024-02-01T00:00:00Z,paid,\n", {"row 2": "not a decimal number"}),
    ("orders", HEADER_O + "O1,A,,10000000000.01,USD,retail,2024-02-01T00:00:00Z,paid,\n",
     {"row 2": "largest amount accepted, 10000000000.00"}),
    ("orders", HEADER_O + "O1,A,,9223372036854775808,JPY,retail,2024-02-01T00:00:00Z,paid,\n",
     {"row 2": "largest amount accepted, 1000000000000"}),
    # A time that is valid as written but beyond year 9999 once in UTC.
    ("orders", HEADER_O + "O1,A,,1.00,USD,retail,9999-12-31T23:59:59-01:00,paid,\n", {"row 2": "at: not an ISO-8601"}),
    ("members", HEADER_M + "D,A,9999-12-31T23:59:59-01:00,active,US\n", {"row 2": "joined_at"}),
    # Countries are assigned ISO 3166 codes: "ß" upper-cases to "SS", which is none.
    ("members", HEADER_M + "D,A,2024-01-04T00:00:00Z,active,\u00df\n", {"row 2": "country"}),
    ("members", HEADER_M + "D,A,2024-01-04T00:00:00Z,active,XX\n", {"row 2": "country"}),
    # A 10 MB field is a bad row, not a server error.
    ("identifiers", HEADER_I + "A,email," + "x" * 10_000_000 + "\n", {"row 2": "not readable as CSV"}),
]


@pytest.mark.parametrize("kind,body,reasons", REJECTIONS)
def test_bad_file_is_refused_with_row_reasons_and_nothing_written(client, admin, base, cypher, kind, body, reasons):
    # Every rejected file also carries a good row first, which must not be written either.
    good = {"members": "Z,A,2024-01-09T00:00:00Z,active,US\n",
            "orders": "OK1,A,,5.00,USD,retail,2024-02-01T00:00:00Z,paid,\n",
            "identifiers": "B,email,good@example.com\n"}[kind]
    header, _, rest = body.partition("\n")
    body = header + "\n" + good + rest if not reasons.get("row 1") else body
    reasons = {f"row {int(k.split()[1]) + 1}" if k != "row 1" else k: v for k, v in reasons.items()}
    before = _state(cypher)
    response = post_csv(client, kind, body, admin)
    assert response.status_code == 422, response.get_json()
    problem = response.get_json()
    assert response.mimetype == "application/problem+json"
    assert set(problem["errors"]) == set(reasons)
    for row, fragment in reasons.items():
        assert any(fragment in message for message in problem["errors"][row]), problem["errors"][row]
    assert _state(cypher) == before
    # The attempt is recorded as a refused import, with the reason.
    latest = client.get("/api/v1/import?limit=1", headers=admin).get_json()["items"][0]
    assert (latest["kind"], latest["status"]) == (kind, "refused") and problem["detail"] in latest["error"]


def test_every_bad_row_is_listed_not_just_the_first(client, admin, base):
    body = HEADER_M + "".join(f"X{i},NOPE{i},2024-01-04T00:00:00Z,active,US\n" for i in range(30))
    problem = post_csv(client, "members", body, admin).get_json()
    # In row order as sent, row 2 before row 10 (not sorted as text).
    assert list(problem["errors"]) == [f"row {i + 2}" for i in range(30)]


def test_a_country_is_stored_upper_case(client, admin, base, cypher):
    assert post_csv(client, "members", HEADER_M + "D,A,2024-01-04T00:00:00Z,active,gb\n", admin).status_code == 200
    assert cypher("MATCH (m:Member {id: 'D'}) RETURN m.country AS c") == [{"c": "GB"}]


def test_rows_may_come_before_their_sponsor(client, admin, cypher):
    body = HEADER_M + "C,B,2024-01-03T00:00:00Z,active,US\nB,A,2024-01-02T00:00:00Z,active,US\n" \
                      "A,,2024-01-01T00:00:00Z,active,US\n"
    assert post_csv(client, "members", body, admin).status_code == 200
    assert cypher("MATCH (m:Member {id:'C'}) RETURN m.path AS p, m.depth AS d") == [{"p": "/A/B/C/", "d": 2}]


def test_raw_identifier_values_reach_neither_the_database_nor_the_logs(client, admin, base, cypher, caplog,
                                                                       settings):
    caplog.set_level("DEBUG")
    body = HEADER_I + "A,email,Secret.Person@Example.com\nB,phone,+1 555 123 4567\nC,card,4111-1111-1111-1111\n"
    assert post_csv(client, "identifiers", body, admin).status_code == 200
    bad = HEADER_I + "A,ip,Secret.Person.Ip\n"
    assert post_csv(client, "identifiers", bad, admin).status_code == 422
    dump = str(cypher("MATCH (n) RETURN properties(n) AS p")) + str(cypher("MATCH ()-[r]->() RETURN properties(r) AS p"))
    logs = caplog.text + "".join(p.read_text(errors="replace") for p in (settings.var_dir / "neo4j" / "logs").glob("*.log")) \
        if not settings.external_neo4j else caplog.text
    for fragment in ("secret.person", "Secret.Person", "5551234567", "4111-1111", "4111111111111111"):
        assert fragment not in dump
        assert fragment not in logs
    # The same person written differently is the same identifier.
    body = HEADER_I + "B,email,  secret.person@EXAMPLE.com \n"
    assert post_csv(client, "identifiers", body, admin).status_code == 200
    shared = cypher("MATCH (i:Identifier {kind:'email'})<-[:USES]-(m) RETURN count(DISTINCT i) AS ids, count(m) AS members")
    assert shared == [{"ids": 1, "members": 2}]


def test_import_needs_text_csv(client, admin):
    response = client.post("/api/v1/import/members", json={"id": "A"}, headers=admin)
    assert response.status_code == 415
