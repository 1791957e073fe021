"""Every error leaves as ``application/problem+json`` (RFC 9457).

No stack trace, Cypher or driver message reaches a client: unexpected
exceptions are logged here and answered with a bare 500.
"""

from __future__ import annotations

import http
import io
import logging

import marshmallow as ma
from flask import Flask, Response, json
from flask_limiter import RateLimitExceeded
from flask_smorest import Api
from flask_smorest.utils import prepare_response
from werkzeug.exceptions import HTTPException

from .. import errors
from ..db import DatabaseUnavailable

__all__ = ["ProblemApi", "ProblemSchema", "problem", "status_of", "register", "BodyLimit"]

log = logging.getLogger(__name__)
PROBLEM_JSON = "application/problem+json"

# Looked up along the exception's class hierarchy, so a new subclass answers as its parent.
_STATUS_OF = {
    errors.Invalid: (422, "Unprocessable Content"),
    errors.NotFound: (404, "Not Found"),
    errors.Conflict: (409, "Conflict"),
    errors.ServiceError: (400, "Bad Request"),
}


def status_of(exc: errors.ServiceError) -> tuple[int, str]:
    """The HTTP status and title a service error answers with.

    >>> class Gone(errors.NotFound): ...
    >>> status_of(Gone("member M1 left"))
    (404, 'Not Found')
    """
    return next(_STATUS_OF[cls] for cls in type(exc).__mro__ if cls in _STATUS_OF)


class ProblemSchema(ma.Schema):
    """The error body, for the OpenAPI document."""

    type = ma.fields.String()
    title = ma.fields.String()
    status = ma.fields.Integer()
    detail = ma.fields.String()
    errors = ma.fields.Dict()


def problem(status: int, title: str, detail: str = "", errors_: dict | None = None,
            headers: dict | None = None) -> Response:
    """An ``application/problem+json`` response."""
    body = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if errors_:
        body["errors"] = errors_
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_JSON)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _flatten_webargs(messages: dict) -> dict:
    """webargs nests messages by location ({"json": {...}}); clients want fields."""
    flat: dict = {}
    for location_messages in messages.values():
        if isinstance(location_messages, dict):
            flat.update(location_messages)
        else:
            flat.setdefault("_schema", []).extend(location_messages)
    return flat


class ProblemApi(Api):
    """The flask-smorest Api whose errors, documented and answered, are problem+json."""

    ERROR_SCHEMA = ProblemSchema

    def _register_responses(self):
        """Document every error status (and the default) as problem+json."""
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_JSON)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Error", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_JSON)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)

    def handle_http_exception(self, error: HTTPException):
        """Any HTTP error (404, 405, 413, 429, webargs' 400/422) as a problem, without internals."""
        data = getattr(error, "data", None) or {}
        field_errors = data.get("errors") or _flatten_webargs(data.get("messages", {}))
        detail = data.get("message") or error.description or ""
        if field_errors and not data.get("message"):
            # Say which fields were wrong, not Werkzeug's stock sentence.
            detail = "The request did not validate: " + "; ".join(
                f"{field}: {' '.join(map(str, messages)) if isinstance(messages, list) else messages}"
                for field, messages in field_errors.items())
        if error.code >= 500:
            detail = ""
        headers = data.get("headers")
        if isinstance(error, RateLimitExceeded):
            # The limiter's own headers are off (see access.make_limiter); a refused caller
            # still learns when to come back: within one window.
            headers = {"Retry-After": str(error.limit.limit.get_expiry())}
        return problem(error.code, error.name, detail, field_errors, headers)


class BodyLimit:
    """WSGI middleware: a body sent without Content-Length (chunked) is read up to the
    limit here, and one longer than that answers 413, so no view ever sees a body cut
    short at the limit (Werkzeug would truncate it silently)."""

    def __init__(self, app, limit: int):
        self.app, self.limit = app, limit

    def __call__(self, environ, start_response):
        if not environ.get("CONTENT_LENGTH") and environ.get("wsgi.input_terminated"):
            body = environ["wsgi.input"].read(self.limit + 1)
            if len(body) > self.limit:
                too_large = problem(413, "Content Too Large", f"The body is larger than {self.limit} bytes.")
                return too_large(environ, start_response)
            environ = {**environ, "wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body))}
            del environ["wsgi.input_terminated"]
        return self.app(environ, start_response)


def register(app: Flask) -> None:
    """Answer service errors, an unreachable database and anything unexpected as problems."""
    @app.errorhandler(errors.ServiceError)
    def service_error(exc: errors.ServiceError):
        status, title = status_of(exc)
        return problem(status, title, exc.detail, exc.errors)

    @app.errorhandler(DatabaseUnavailable)
    def database_unavailable(exc: DatabaseUnavailable):
        log.warning("database unavailable: %s", exc)
        return problem(503, "Service Unavailable", "The database is unavailable; retry shortly.",
                       headers={"Retry-After": "5"})

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        # HTTPExceptions never get here: ProblemApi's more specific handler takes them.
        log.exception("unhandled error")
        return problem(500, "Internal Server Error")
