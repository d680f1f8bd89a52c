"""Payments' web doors. Each blueprint has its url_prefix: the producer's back office under
/nha-san-xuat (`bp`, the "payments" endpoints), buyers' order pages (/dat-hang, /don-hang,
/tra-cuu-don-hang), the producer's static code (/ma-qr/nha-san-xuat) and the order-code API
(/api/orders). Only create_app imports this."""
from payments.views import buyers, qr
from payments.views.back_office import bp
from payments.views.common import register_template_helpers

__all__ = ["bp", "init_app"]


def init_app(app):
    for blueprint in (buyers.order_form_bp, buyers.orders_bp, buyers.lookup_bp, qr.bp, qr.api_bp):
        app.register_blueprint(blueprint)
    register_template_helpers(app)
