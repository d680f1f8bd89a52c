"""Reconciliation: bank notifications (SePay, Casso) and statements tell which orders are paid."""
from flask import Blueprint

bp = Blueprint("reconcile", __name__)

from reconcile import routes, webhooks  # noqa: E402,F401


def init_app(app):
    from extensions import csrf

    # Services post JSON with their own signatures; a browser's CSRF token means nothing to them.
    for view in (webhooks.sepay_webhook, webhooks.casso_webhook):
        csrf.exempt(view)

    from reconcile.texts import SOURCE_LABELS, label

    app.add_template_global(lambda source: label(SOURCE_LABELS, source), "reconcile_source_label")
