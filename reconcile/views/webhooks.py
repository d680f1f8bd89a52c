"""Webhook doors for SePay and Casso: /api/webhooks/<service>/<hook id>.

Answers (docs/RECONCILIATION.md): 200 {"success": true} once the transaction is stored, for a
retry or replay too, and when its description names no order (it then waits for the producer);
401 for a wrong signature or key, 400 for a payload that is not the service's, 404 for an
unknown hook, 503 when the database fails, so the service delivers again later.
"""
from flask import Blueprint, current_app, jsonify, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import SQLAlchemyError

from core.clock import utcnow
from core.web import retry_after
from extensions import db
from reconcile import services
from reconcile.notifications import NotificationRefused, parse_casso, parse_json, parse_sepay
from reconcile.constants import Service

# Services post JSON with their own signatures; a browser's CSRF token means nothing to them, so
# init_app exempts this blueprint from CSRF.
bp = Blueprint("reconcile_webhooks", __name__, url_prefix="/api/webhooks")

MAX_BODY = 64 * 1024
REFUSALS = {
    "bad_signature": (401, _l("The signature or API key does not match this connection.")),
    "bad_payload": (400, _l("This is not a transaction notification in the service's format.")),
}


def _answer(status, **fields):
    body = {"success": 200 <= status < 300, **fields}
    return jsonify(body), status


def _refusal(code):
    status, message = REFUSALS[code]
    return _answer(status, error=code, message=str(message))


def _receive(service: Service, hook_id: str, parse):
    if (request.content_length or 0) > MAX_BODY:
        return _answer(413, error="too_large", message=_("The notification is too large."))
    body = request.get_data(cache=False)
    feed = services.feed_by_hook(service, hook_id)
    if feed is None:
        return _answer(404, error="unknown_hook", message=_("No producer is connected at this address."))
    try:
        payload = parse_json(body)
        services.authenticate(feed, request.headers, body, payload)
        incoming = parse(payload)
    except NotificationRefused as refused:
        return _refusal(refused.code)
    if not incoming.is_money_in:
        return _answer(200, stored=False, reason="money_out")
    try:
        recorded = services.record_incoming(feed.producer, incoming)
        feed.last_event_at = utcnow()
        transaction = recorded.transaction
        answer = dict(stored=recorded.created, duplicate=not recorded.created, state=transaction.state,
                      order=transaction.order.code if transaction.order else None)
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        current_app.logger.exception("Could not store a %s notification", service)
        response = _answer(503, error="unavailable", message=_("Please deliver this notification again later."))
        retry_after(response[0], 60)
        return response
    return _answer(200, **answer)


@bp.post("/sepay/<hook_id>")
def sepay_webhook(hook_id):
    return _receive(Service.SEPAY, hook_id, parse_sepay)


@bp.post("/casso/<hook_id>")
def casso_webhook(hook_id):
    return _receive(Service.CASSO, hook_id, parse_casso)
