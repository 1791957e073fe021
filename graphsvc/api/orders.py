"""Live orders: one or a batch as they happen, and refunds."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView

from ..periods import parse_instant
from .arguments import Blueprint, LoadSchema, event_batch
from .context import audit_detail, current_services

blp = Blueprint("orders", __name__, url_prefix="/api/v1/orders", description="Live orders")


class OrdersInSchema(LoadSchema):
    """The body of POST /orders."""

    orders = event_batch("{id, seller_id, buyer_id, amount, currency, kind, at, status, customer_ref}, "
                         "the orders file's columns")


class OrderSchema(ma.Schema):
    """An order as stored."""

    id = ma.fields.String()
    seller_id = ma.fields.String()
    buyer_id = ma.fields.String(allow_none=True)
    amount = ma.fields.String()
    currency = ma.fields.String()
    kind = ma.fields.String()
    at = ma.fields.String()
    status = ma.fields.String()


class OrdersSchema(ma.Schema):
    """Orders as stored."""

    orders = ma.fields.List(ma.fields.Nested(OrderSchema))


class RefundInSchema(LoadSchema):
    """The (optional) body of POST /orders/{order_id}/refund."""

    at = ma.fields.String(load_default=None, metadata={
        "description": "when it was refunded, a zoned ISO-8601 time (default: now); rewards cancel or claw back by it"})


class RefundSchema(ma.Schema):
    """A refunded order."""

    id = ma.fields.String()
    status = ma.fields.String()
    refunded_at = ma.fields.String(allow_none=True)


@blp.route("")
class Orders(MethodView):
    """POST /orders."""

    @blp.arguments(OrdersInSchema)
    @blp.response(200, OrdersSchema)
    @blp.alt_response(409, response="CONFLICT")
    def post(self, body):
        """Record live orders (up to 1,000) by the import's rules, all or none.

        The same orders again answer the same; an order id stored with other fields is 409."""
        orders = current_services().importer.record_orders(body["orders"])
        audit_detail(orders=len(orders), ids=[o["id"] for o in orders[:20]])
        return {"orders": orders}


@blp.route("/<order_id>/refund")
class Refund(MethodView):
    """POST /orders/{order_id}/refund."""

    @blp.arguments(RefundInSchema)
    @blp.response(200, RefundSchema)
    def post(self, body, order_id):
        """Refund an order: the next commission run of the plan that paid it reverses its lines."""
        at = parse_instant(body["at"], "at") if body["at"] else None
        return current_services().importer.refund_order(order_id, at)
