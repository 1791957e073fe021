"""CSV imports over HTTP: the same checks as the CLI, all or nothing."""

from __future__ import annotations

import io

import marshmallow as ma
from flask import request
from flask.views import MethodView
from flask_smorest import abort

from .arguments import Blueprint
from .context import current_services

blp = Blueprint("imports", __name__, url_prefix="/api/v1/import", description="Bulk CSV imports")


class ImportSummarySchema(ma.Schema):
    """What an import wrote."""

    kind = ma.fields.String()
    rows = ma.fields.Integer()
    written = ma.fields.Integer()


@blp.route("/<any(members, orders, identifiers):kind>")
class Import(MethodView):
    """POST /import/{kind}."""

    @blp.doc(requestBody={"required": True, "content": {"text/csv": {"schema": {"type": "string"}}}})
    @blp.response(200, ImportSummarySchema)
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def post(self, kind):
        """Import a CSV file (members, orders or identifiers) sent as the body.

        422 names every bad row (`errors["row N"]`) and nothing is written.
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
        return run(io.StringIO(text, newline="")).as_dict()
