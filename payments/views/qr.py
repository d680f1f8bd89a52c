"""Payment codes: the producer's static VietQR (page, PNG, SVG, A6 sign) and an order's code for
apps, in the shape of Stripe's display_qr_code."""
from flask import Blueprint, abort, current_app, jsonify, render_template
from flask_babel import gettext as _

from extensions import db
from payments import services
from payments.qrimage import SignText, a6_sign_svg, png_bytes, svg_document
from payments.views.common import (QR_SVG_CSP, SIGN_SVG_CSP, image_response, no_store, order_lookup_limit,
                                   order_payload_or_error, too_many)
from producers.models import Producer

bp = Blueprint("payment_qr", __name__, url_prefix="/ma-qr/nha-san-xuat")
api_bp = Blueprint("payments_api", __name__, url_prefix="/api/orders")
api_bp.register_error_handler(429, too_many)


def _public_producer(producer_id):
    return db.first_or_404(Producer.public().where(Producer.id == producer_id))


def _static_payload_or_404(producer):
    payload = services.static_payload(producer)
    if payload is None:
        abort(404)
    return payload


@bp.get("/<int:producer_id>")
def producer_qr_page(producer_id):
    producer = _public_producer(producer_id)
    response = current_app.make_response(render_template("payments/producer_qr.html", producer=producer))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<int:producer_id>.png")
def producer_qr_png(producer_id):
    payload = _static_payload_or_404(_public_producer(producer_id))
    return image_response(png_bytes(payload, scale=10), "image/png", f"vietqr-{producer_id}.png")


@bp.get("/<int:producer_id>.svg")
def producer_qr_svg(producer_id):
    payload = _static_payload_or_404(_public_producer(producer_id))
    return image_response(svg_document(payload), "image/svg+xml", f"vietqr-{producer_id}.svg", QR_SVG_CSP)


@bp.get("/<int:producer_id>/bien-a6.svg")
def producer_sign(producer_id):
    """A printable A6 sign (105 × 148 mm) for market stalls and packaging."""
    producer = _public_producer(producer_id)
    payload = _static_payload_or_404(producer)
    target = services.payment_target(producer)
    text = SignText(caption=_("Scan with your bank app to pay"), holder_label=_("Account holder"),
                    bank_label=_("Bank"), account_label=_("Account number"))
    sign = a6_sign_svg(payload, producer_name=producer.legal_name, account_holder=target.holder_name,
                       bank_name=target.bank_name, account_number=target.account_number, text=text)
    return image_response(sign, "image/svg+xml", f"bien-a6-vietqr-{producer_id}.svg", SIGN_SVG_CSP)


# --- an order's code, for apps: the shape of Stripe's paynow/promptpay display_qr_code ----------

@api_bp.get("/<code>/payment_qr")
@order_lookup_limit
def order_qr_api(code):
    found, error = order_payload_or_error(code)
    if error is not None:
        return no_store(error)
    order, payload = found
    token = services.qr_token(order.code)
    return no_store(jsonify({
        "data": payload,
        "image_url_png": services.absolute_url("payments_api.order_qr_png", code=order.code, t=token),
        "image_url_svg": services.absolute_url("payments_api.order_qr_svg", code=order.code, t=token),
        "hosted_instructions_url": services.absolute_url("orders.order_page", code=order.code),
        "amount": order.amount_vnd,
        "currency": "vnd",
    }))


@api_bp.get("/<code>/payment_qr.png")
@order_lookup_limit
def order_qr_png(code):
    found, error = order_payload_or_error(code)
    if error is not None:
        return no_store(error)
    order, payload = found
    return image_response(png_bytes(payload, scale=8), "image/png", f"vietqr-{order.code}.png")


@api_bp.get("/<code>/payment_qr.svg")
@order_lookup_limit
def order_qr_svg(code):
    found, error = order_payload_or_error(code)
    if error is not None:
        return no_store(error)
    order, payload = found
    return image_response(svg_document(payload), "image/svg+xml", f"vietqr-{order.code}.svg", QR_SVG_CSP)
