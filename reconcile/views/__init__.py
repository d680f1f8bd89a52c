"""Reconciliation's web doors: the producer's payment pages (/nha-san-xuat/thanh-toan…) and the
SePay and Casso webhooks (/api/webhooks/<service>/<hook id>). Only create_app imports this."""
from reconcile.constants import SOURCE_LABELS, label
from reconcile.views import webhooks
from reconcile.views.pages import bp

__all__ = ["bp", "init_app"]


def init_app(app):
    from extensions import csrf

    app.register_blueprint(webhooks.bp)
    csrf.exempt(webhooks.bp)
    app.add_template_global(lambda source: label(SOURCE_LABELS, source), "reconcile_source_label")
