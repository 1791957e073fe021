"""Liveness, readiness, metrics, the OpenAPI document and the error shape."""

from openapi_spec_validator import validate


def test_healthz_answers_without_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_readyz_is_green_with_schema_applied(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["schema"] == "applied"


def test_readyz_names_missing_schema(client, cypher, services):
    cypher("DROP INDEX member_path")
    try:
        response = client.get("/readyz")
        assert response.status_code == 503
        assert response.get_json()["schema_missing"] == ["member_path"]
    finally:
        from graphsvc import schema

        schema.migrate(services.db)


def test_metrics_count_requests_by_endpoint(client):
    client.get("/healthz")
    body = client.get("/metrics").get_data(as_text=True)
    line = next(
        l for l in body.splitlines()
        if l.startswith("graphsvc_http_requests_total{") and 'endpoint="health.healthz"' in l
    )
    assert float(line.rsplit(" ", 1)[1]) >= 1


def test_openapi_document_is_valid(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    validate(response.get_json())


def test_unknown_path_is_problem_json(client, admin):
    response = client.get("/api/v1/no-such-thing", headers=admin)
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == 404 and body["title"] == "Not Found" and body["type"]


def test_unexpected_error_is_a_bare_500(app, admin, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("MATCH (secret) internal detail")

    monkeypatch.setattr(app.extensions["graphsvc"].network, "member", explode)
    response = app.test_client().get("/api/v1/members/A", headers=admin)
    assert response.status_code == 500
    assert response.mimetype == "application/problem+json"
    text = response.get_data(as_text=True)
    assert "MATCH" not in text and "Traceback" not in text and "RuntimeError" not in text
