"""CSV imports over HTTP: the same checks as the CLI, all or nothing."""

from __future__ import annotations

import io

import marshmallow as ma
from flask import request
from flask.views import MethodView
from flask_smorest import abort

from .arguments import Blueprint, LoadSchema, PageArgs, page_of
from .context import audit_detail, current_services

blp = Blueprint("imports", __name__, url_prefix="/api/v1/import", description="Bulk CSV imports")


class ImportArgs(LoadSchema):
    """Query of POST /import/{kind}."""

    dry_run = ma.fields.Boolean(load_default=False,
                                metadata={"description": "check and count what would change; write nothing"})


class MovedMemberSchema(ma.Schema):
    """A member whose sponsor the file changes."""

    id = ma.fields.String()
    from_ = ma.fields.String(data_key="from", attribute="from", allow_none=True)
    to = ma.fields.String(allow_none=True)


class ImportSummarySchema(ma.Schema):
    """What an import wrote, or on a dry run would write."""

    kind = ma.fields.String()
    rows = ma.fields.Integer(metadata={"description": "data rows in the file"})
    written = ma.fields.Integer(metadata={"description": "records created or changed (0 on a dry run)"})
    created = ma.fields.Integer()
    unchanged = ma.fields.Integer()
    changed = ma.fields.Integer()
    sponsor_changes = ma.fields.List(ma.fields.Nested(MovedMemberSchema),
                                     metadata={"description": "the first 1000 members whose sponsor changes"})
    sponsor_changes_total = ma.fields.Integer()
    dry_run = ma.fields.Boolean()
    import_id = ma.fields.String(allow_none=True, metadata={"description": "its import record (none on a dry run)"})


class ImportRecordSchema(ma.Schema):
    """An import that wrote (or tried to): how it ended, and why when it did not complete."""

    id = ma.fields.String()
    at = ma.fields.String(metadata={"description": "when it started writing"})
    kind = ma.fields.String()
    status = ma.fields.String(metadata={"description": "writing, complete, refused, failed or rolled_back"})
    rows = ma.fields.Integer()
    created = ma.fields.Integer(allow_none=True)
    unchanged = ma.fields.Integer(allow_none=True)
    changed = ma.fields.Integer(allow_none=True)
    error = ma.fields.String(allow_none=True)
    finished_at = ma.fields.String(allow_none=True)


@blp.route("")
class Imports(MethodView):
    """GET /import."""

    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_of(ImportRecordSchema, "import records"))
    def get(self, args):
        """Imports that wrote or tried to, newest first."""
        return current_services().importer.imports_page(args["limit"], args["cursor"])


@blp.route("/<any(members, orders, identifiers):kind>")
class Import(MethodView):
    """POST /import/{kind}."""

    @blp.arguments(ImportArgs, location="query")
    @blp.doc(requestBody={"required": True, "content": {"text/csv": {"schema": {"type": "string"}}}})
    @blp.response(200, ImportSummarySchema)
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def post(self, args, kind):
        """Import a CSV file (members, orders or identifiers) sent as the body, all or nothing.

        422 names every bad row (`errors["row N"]`) and nothing is written.  The answer counts
        created, unchanged and changed records and lists every sponsor the file changes;
        with `dry_run=true` nothing is written.
        """
        if request.mimetype != "text/csv":
            abort(415, message="Send the file as text/csv.")
        try:
            text = request.get_data().decode("utf-8-sig")
        except UnicodeDecodeError:
            abort(400, message="The file is not UTF-8.")
        importer = current_services().importer
        run = {"members": importer.import_members, "orders": importer.import_orders,
               "identifiers": importer.import_identifiers}[kind]
        summary = run(io.StringIO(text, newline=""), dry_run=args["dry_run"]).as_dict()
        audit_detail(summary=summary)
        return summary
