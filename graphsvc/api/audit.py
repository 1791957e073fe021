"""The audit trail of writes, for admins."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView

from .arguments import Blueprint, PageArgs, page_of
from .context import current_services

blp = Blueprint("audit", __name__, url_prefix="/api/v1/audit", description="Who changed what")


class AuditEventSchema(ma.Schema):
    """One audit event."""

    id = ma.fields.String()
    at = ma.fields.String()
    key_id = ma.fields.String()
    role = ma.fields.String()
    action = ma.fields.String()
    target = ma.fields.String()
    outcome = ma.fields.String()
    detail = ma.fields.Dict()


@blp.route("")
class Audit(MethodView):
    """GET /audit."""

    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_of(AuditEventSchema, "audit events"))
    def get(self, args):
        """Audit events, newest first."""
        return current_services().access.audit_page(args["limit"], args["cursor"])
