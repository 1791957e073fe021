"""The request parser and schema base shared by every blueprint.

Bad query parameters (out-of-range depth, limit, ...) answer 400; a body that
does not validate answers 422 with field errors.  Load schemas refuse unknown
fields, so a client cannot set what the server owns.
"""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate
from flask import Response
from flask_smorest import Blueprint as _Blueprint, abort
from webargs.flaskparser import FlaskParser

from ..domain import MAX_EVENTS_PER_BATCH, MAX_PAGE_SIZE

__all__ = ["Blueprint", "LoadSchema", "PageArgs", "PeriodArgs", "ReportArgs", "page_of", "event_batch", "download"]


class _Parser(FlaskParser):
    def _raw_load_json(self, req):
        if req.get_data(cache=True) and not req.is_json:
            abort(415, message="Send the body as JSON, with the header Content-Type: application/json.")
        try:
            return super()._raw_load_json(req)
        except RecursionError:
            abort(400, message="The JSON body is nested too deeply.")

    def _handle_invalid_json_error(self, error, req, *args, **kwargs):
        abort(400, message=f"The body is not valid JSON: {error}.")

    def handle_error(self, error, req, schema, *, error_status_code, error_headers):
        if error_status_code is None and "query" in error.messages:
            error_status_code = 400
        super().handle_error(error, req, schema, error_status_code=error_status_code,
                             error_headers=error_headers)


class Blueprint(_Blueprint):
    """A flask-smorest blueprint whose query errors answer 400."""

    ARGUMENTS_PARSER = _Parser()


class LoadSchema(ma.Schema):
    """A schema for input: unknown fields are refused."""

    class Meta:
        """Refuse fields the schema does not name."""

        unknown = ma.RAISE


class PageArgs(LoadSchema):
    """A bounded page size and the opaque cursor of the previous page."""

    limit = ma.fields.Integer(load_default=100, validate=validate.Range(1, MAX_PAGE_SIZE))
    cursor = ma.fields.String(load_default=None, validate=validate.Length(max=512))


def page_of(item: type[ma.Schema], what: str) -> type[ma.Schema]:
    """The schema of a page of ``item`` records (newest first) and the next page's cursor."""
    name = item.__name__.removesuffix("Schema") + "PageSchema"
    return type(name, (ma.Schema,), {"__doc__": f"A page of {what} and the next page's cursor.",
                                     "items": ma.fields.List(ma.fields.Nested(item)),
                                     "next_cursor": ma.fields.String(allow_none=True)})


def event_batch(shape: str) -> ma.fields.List:
    """A body's list of 1 to MAX_EVENTS_PER_BATCH objects (clicks, orders), each checked
    by the service so one bad event is reported by its index, not as a refused body."""
    return ma.fields.List(ma.fields.Dict(), required=True, validate=validate.Length(1, MAX_EVENTS_PER_BATCH),
                          metadata={"description": f"each {shape}"})


class PeriodArgs(LoadSchema):
    """A period [from, to) in the query."""

    from_ = ma.fields.String(required=True, data_key="from", validate=validate.Length(1, 40))
    to = ma.fields.String(required=True, validate=validate.Length(1, 40))


class ReportArgs(PeriodArgs):
    """Query of a report: its period and format."""

    format = ma.fields.String(load_default="html", validate=validate.OneOf(["html", "csv"]))


def download(body: str, report: str, args: dict) -> Response:
    """A report of ``args``' period and format as a file to save."""
    mimetype = "text/csv" if args["format"] == "csv" else "text/html"
    name = f"{report}-{args['from_'][:10]}-{args['to'][:10]}.{args['format']}"
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'})
