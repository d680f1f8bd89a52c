"""What the payment pages share: QR markup, image answers, the order-lookup limit, an order's
code or the reason none is shown, and the template helpers (`register_template_helpers`)."""
from types import SimpleNamespace

from flask import current_app, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from core.web import error_response
from extensions import limiter
from payments import services
from payments.constants import OrderStatus, status_label
from payments.qrimage import svg_inline
from payments.services import PaymentState
from payments.texts import refusal_message
from payments.views.forms import OrderForm

QR_SVG_CSP = "default-src 'none'; frame-ancestors 'none'"
SIGN_SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"


def qr_markup(payload: str, title: str, scale: int = 5) -> Markup:
    # segno escapes the title; the payload never enters the SVG as text.
    return Markup(svg_inline(payload, scale=scale, title=title))


def image_response(body, mimetype: str, filename: str, csp: str | None = None):
    response = current_app.response_class(body, mimetype=mimetype)
    response.headers["Cache-Control"] = "no-store"
    disposition = "attachment" if request.args.get("download") else "inline"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    if csp:
        response.headers["Content-Security-Policy"] = csp
    return response


def lookup_limit_value():
    return current_app.config["ORDER_LOOKUP_RATE_LIMIT"]


def _no_phone_given():
    source = request.form if request.method == "POST" else request.args
    return not source.get("phone")


# Guessing code + phone pairs costs a failed lookup each; successes are free.
order_lookup_limit = limiter.shared_limit(
    lookup_limit_value, scope="order-lookup", exempt_when=_no_phone_given,
    deduct_when=lambda response: response.status_code == 404)


def producer_payment_qr(producer):
    """What _producer_qr.html shows: the static code from approved details, or why not."""
    state = services.payment_state(producer)
    payload = services.static_payload(producer) if state == PaymentState.READY else None
    if payload is None:
        return SimpleNamespace(state=state if state == PaymentState.PENDING else PaymentState.UNAVAILABLE)
    target = services.payment_target(producer)
    return SimpleNamespace(
        state=PaymentState.READY, target=target,
        svg=qr_markup(payload, _("VietQR code of %(name)s", name=target.holder_name)),
        png_url=url_for("payment_qr.producer_qr_png", producer_id=producer.id, download=1),
        sign_url=url_for("payment_qr.producer_sign", producer_id=producer.id),
        page_url=url_for("payment_qr.producer_qr_page", producer_id=producer.id))


def order_box(product, form=None):
    """What _order_box.html shows on a product page: the order form, or why one cannot order."""
    refusal = services.refusal_for(product)
    if refusal:
        return SimpleNamespace(refusal=refusal_message(refusal), form=None)
    return SimpleNamespace(refusal=None, form=form or OrderForm(formdata=None).start(product.id))


def order_status_filter(status):
    return status_label(status)


def too_many(error):
    # Raised by Flask-Limiter for the order and lookup routes: say what was limited.
    if request.endpoint == "order_form.place_order":
        title, message = _("Too many orders"), _("You sent many orders in a short time. Please wait an hour, "
                                                 "or call the producer.")
    else:
        title, message = _("Too many attempts"), _("Please wait a while before looking up orders again.")
    return error_response(429, title, message)


def register_template_helpers(app):
    app.add_template_global(producer_payment_qr)
    app.add_template_global(order_box)
    app.add_template_filter(order_status_filter, "order_status")


def no_store(result):
    response = current_app.make_response(result)
    response.headers["Cache-Control"] = "no-store"
    return response


def order_payload_or_error(code):
    """(order, payload) or an error response: 404 when not allowed, 409 when no code may be shown."""
    order = services.accessible_order(code, phone=request.args.get("phone"), token=request.args.get("t"))
    if order is None:
        return None, error_response(404)
    payload = services.order_payload(order)
    if payload is not None:
        return (order, payload), None
    if order.status != OrderStatus.NEW:
        return None, error_response(409, _("This order is not awaiting payment"), status_label(order.status))
    if services.payment_state(order.producer) == PaymentState.PENDING:
        return None, error_response(409, _("Payment details are awaiting re-verification"),
                                    _("The producer changed its bank details; the code returns once a "
                                      "commune officer has checked them."))
    return None, error_response(409, _("No payment code is available for this order"),
                                _("Please contact the producer."))
