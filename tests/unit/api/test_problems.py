"""Service errors answer by their place in the error hierarchy, never as a 500."""

from flask import Flask

from graphsvc import errors
from graphsvc.api import problems


class MemberLeft(errors.NotFound):
    """A subclass the error table does not name."""


class PlanFrozen(errors.Conflict):
    pass


class BadPeriod(errors.Invalid):
    pass


def test_a_new_service_error_answers_as_its_parent():
    app = Flask(__name__)
    problems.register(app)
    raised = {"left": MemberLeft("member M1 left"), "frozen": PlanFrozen("plan P is frozen"),
              "period": BadPeriod("no such period", {"from": ["Not a date."]}),
              "plain": errors.ServiceError("something the caller can fix")}

    @app.get("/<what>")
    def fail(what):
        raise raised[what]

    client = app.test_client()
    expected = {"left": 404, "frozen": 409, "period": 422, "plain": 400}
    for what, status in expected.items():
        response = client.get(f"/{what}")
        assert (response.status_code, response.mimetype) == (status, "application/problem+json")
        assert response.get_json()["detail"] == str(raised[what])
    assert client.get("/period").get_json()["errors"] == {"from": ["Not a date."]}
