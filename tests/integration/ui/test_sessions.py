"""Dashboard sign-in: a key exchanged for a signed, HttpOnly, SameSite session cookie;
CSRF on every form and on the API writes a session makes; pages follow the role."""

import re

from tests.conftest import post_csv

MEMBERS = "id,sponsor_id,joined_at,status,country\nR,,2024-01-01T00:00:00Z,active,US\nA,R,2024-01-02T00:00:00Z,active,US\n"


def _csrf(page: bytes) -> str:
    return re.search(rb'name="csrf" value="([^"]+)"', page).group(1).decode()


def _sign_in(client, header: dict):
    form = client.get("/ui/sign-in")
    key = header["Authorization"].removeprefix("Bearer ")
    return client.post("/ui/sign-in", data={"key": key, "csrf": _csrf(form.data)})


def test_root_and_pages_send_a_stranger_to_sign_in(client):
    assert client.get("/").headers["Location"] == "/ui/"
    for path in ("/ui/", "/ui/overview", "/ui/members/R"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"] == "/ui/sign-in", path
    assert client.get("/api/v1/members/R").status_code == 401


def test_a_key_becomes_a_session_cookie_and_api_writes_need_its_csrf_token(client, admin):
    assert post_csv(client, "members", MEMBERS, admin).status_code == 200
    form = client.get("/ui/sign-in")
    refused = client.post("/ui/sign-in", data={"key": "gsk_nope_nope", "csrf": _csrf(form.data)})
    assert refused.status_code == 401 and b"unknown or revoked" in refused.data
    assert client.post("/ui/sign-in", data={"key": "x", "csrf": "forged"}).status_code == 400
    signed_in = _sign_in(client, admin)
    assert signed_in.status_code == 302 and client.get(signed_in.headers["Location"]).headers["Location"] == "/ui/overview"
    cookie = signed_in.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Expires=" in cookie
    assert admin["Authorization"].split("_", 2)[2] not in cookie  # the key's secret never leaves the form
    # The session reads the API like its key; a write needs the page's CSRF token.
    assert client.get("/api/v1/members/R").get_json()["downline_total"] == 1
    page = client.get("/ui/overview").data
    token = re.search(rb'name="csrf-token" content="([^"]+)"', page).group(1).decode()
    body = {"campaign": "spring"}
    assert client.post("/api/v1/members/A/codes", json=body).status_code == 401
    assert client.post("/api/v1/members/A/codes", json=body, headers={"X-CSRF-Token": "forged"}).status_code == 401
    assert client.post("/api/v1/members/A/codes", json=body, headers={"X-CSRF-Token": token}).status_code == 201
    # Signing out needs the token too, and ends the session.
    assert client.post("/ui/sign-out", data={"csrf": "forged"}).status_code == 400
    assert client.post("/ui/sign-out", data={"csrf": token}).headers["Location"] == "/ui/sign-in"
    assert client.get("/api/v1/members/R").status_code == 401


def test_an_app_key_sees_its_member_and_nothing_of_the_programme(client, admin, key_for):
    assert post_csv(client, "members", MEMBERS, admin).status_code == 200
    signed_in = _sign_in(client, key_for("app", "A"))
    assert client.get(signed_in.headers["Location"]).headers["Location"] == "/ui/members/A"
    page = client.get("/ui/members/A").data.decode()
    assert 'href="/ui/genealogy"' in page and 'href="/ui/risk"' not in page and 'href="/ui/vip"' not in page
    assert client.get("/ui/risk").status_code == 404
    assert client.get("/api/v1/members/R").status_code == 404  # outside its subtree, as over the API


def test_a_revoked_key_ends_its_sessions(client, admin, services):
    _sign_in(client, admin)
    assert client.get("/api/v1/commission-runs").status_code == 200
    services.access.revoke_key(admin["Authorization"].split("_", 2)[1])
    response = client.get("/api/v1/commission-runs")
    assert response.status_code == 401 and "sign in again" in response.get_json()["detail"]
