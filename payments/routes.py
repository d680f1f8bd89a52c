"""Payment codes: the producer's static VietQR (page, PNG, SVG, A6 sign), the
order code API in the shape of Stripe's display_qr_code, and payment links."""
from types import SimpleNamespace

from flask import abort, current_app, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from accounts.auth import login_required
from accounts.passwords import verify_password
from core.forms import EmptyForm
from core.web import error_response
from extensions import db, limiter
from payments import bp, services
from payments.forms import OrderForm, PaymentLinkForm
from payments.models import PaymentLink
from payments.qrimage import SignText, a6_sign_svg, png_bytes, svg_document, svg_inline
from payments.rules import OrderStatus, link_host
from payments.services import PaymentState
from payments.texts import refusal_message, status_label
from producers.models import Producer
from producers.payment_details import MAX_CHANGES_PER_DAY, TooManyChanges

QR_SVG_CSP = "default-src 'none'; frame-ancestors 'none'"
SIGN_SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"


# --- helpers shared with payments.orders and the templates ---------------------------

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
    return current_app.config.get("ORDER_LOOKUP_RATE_LIMIT", "30 per hour")


def _no_phone_given():
    source = request.form if request.method == "POST" else request.args
    return not source.get("phone")


# Guessing code + phone pairs costs a failed lookup each; successes are free.
order_lookup_limit = limiter.shared_limit(
    lookup_limit_value, scope="order-lookup", exempt_when=_no_phone_given,
    deduct_when=lambda response: response.status_code == 404)


@bp.app_template_global()
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
        png_url=url_for("payments.producer_qr_png", producer_id=producer.id, download=1),
        sign_url=url_for("payments.producer_sign", producer_id=producer.id),
        page_url=url_for("payments.producer_qr_page", producer_id=producer.id))


@bp.app_template_global()
def order_box(product, form=None):
    """What _order_box.html shows on a product page: the order form, or why one cannot order."""
    refusal = services.refusal_for(product)
    if refusal:
        return SimpleNamespace(refusal=refusal_message(refusal), form=None)
    return SimpleNamespace(refusal=None, form=form or OrderForm(formdata=None).start(product.id))


@bp.app_template_filter("order_status")
def order_status_filter(status):
    return status_label(status)


# --- the producer's static code -----------------------------------------------------------

def _public_producer(producer_id):
    return db.first_or_404(Producer.public().where(Producer.id == producer_id))


def _static_payload_or_404(producer):
    payload = services.static_payload(producer)
    if payload is None:
        abort(404)
    return payload


@bp.get("/ma-qr/nha-san-xuat/<int:producer_id>")
def producer_qr_page(producer_id):
    producer = _public_producer(producer_id)
    response = current_app.make_response(render_template("payments/producer_qr.html", producer=producer))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/ma-qr/nha-san-xuat/<int:producer_id>.png")
def producer_qr_png(producer_id):
    payload = _static_payload_or_404(_public_producer(producer_id))
    return image_response(png_bytes(payload, scale=10), "image/png", f"vietqr-{producer_id}.png")


@bp.get("/ma-qr/nha-san-xuat/<int:producer_id>.svg")
def producer_qr_svg(producer_id):
    payload = _static_payload_or_404(_public_producer(producer_id))
    return image_response(svg_document(payload), "image/svg+xml", f"vietqr-{producer_id}.svg", QR_SVG_CSP)


@bp.get("/ma-qr/nha-san-xuat/<int:producer_id>/bien-a6.svg")
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

def _order_payload_or_error(code):
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


def _no_store(result):
    response = current_app.make_response(result)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/api/orders/<code>/payment_qr")
@order_lookup_limit
def order_qr_api(code):
    found, error = _order_payload_or_error(code)
    if error is not None:
        return _no_store(error)
    order, payload = found
    token = services.qr_token(order.code)
    return _no_store(jsonify({
        "data": payload,
        "image_url_png": services.absolute_url("payments.order_qr_png", code=order.code, t=token),
        "image_url_svg": services.absolute_url("payments.order_qr_svg", code=order.code, t=token),
        "hosted_instructions_url": services.absolute_url("payments.order_page", code=order.code),
        "amount": order.amount_vnd,
        "currency": "vnd",
    }))


@bp.get("/api/orders/<code>/payment_qr.png")
@order_lookup_limit
def order_qr_png(code):
    found, error = _order_payload_or_error(code)
    if error is not None:
        return _no_store(error)
    order, payload = found
    return image_response(png_bytes(payload, scale=8), "image/png", f"vietqr-{order.code}.png")


@bp.get("/api/orders/<code>/payment_qr.svg")
@order_lookup_limit
def order_qr_svg(code):
    found, error = _order_payload_or_error(code)
    if error is not None:
        return _no_store(error)
    order, payload = found
    return image_response(svg_document(payload), "image/svg+xml", f"vietqr-{order.code}.svg", QR_SVG_CSP)


# --- payment links ------------------------------------------------------------------------------

def _producer_from_request():
    """The producer whose link is edited: ?producer=<id> among those the user manages (404 otherwise),
    or the only one it manages. None when the user must choose."""
    producers = services.managed_producers(g.user)
    chosen = request.values.get("producer", type=int)
    if chosen is not None:
        producer = next((p for p in producers if p.id == chosen), None)
        if producer is None:
            abort(404)
        return producer, producers
    return (producers[0] if len(producers) == 1 else None), producers


@bp.route("/nha-san-xuat/lien-ket-thanh-toan", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
@login_required
def payment_link_page():
    producer, producers = _producer_from_request()
    if producer is None:
        return render_template("payments/payment_link_choose.html", producers=producers)
    if not producer.is_public:
        return _render_link_page(producer, None, 403)
    if request.method == "GET":
        latest = services.latest_payment_link(producer)
        shown = latest if latest is not None and latest.status in (PaymentLink.PENDING, PaymentLink.APPROVED) else None
        form = PaymentLinkForm(data={"url": shown.url if shown else "",
                                     "seen_version": services.link_version_number(producer)})
        return _render_link_page(producer, form)
    form = PaymentLinkForm()
    if not form.validate_on_submit():
        return _render_link_page(producer, form, 400)
    if not verify_password(g.user.password_hash, form.current_password.data):
        form.current_password.errors.append(_("The password is wrong."))
        return _render_link_page(producer, form, 400)
    try:
        _version, changed = services.set_payment_link(producer, form.url.data, g.user,
                                                      seen_version=form.seen_version.data)
    except services.StaleLinkForm:
        db.session.rollback()
        form.seen_version.data = services.link_version_number(producer)
        return _render_link_page(producer, form, 409, stale=True)
    except TooManyChanges:
        db.session.rollback()
        return _render_link_page(producer, form, 429, limit_reached=True)
    db.session.commit()
    if changed:
        flash(_("The new payment link is saved. Buyers will see it once an officer of your commune, "
                "other than you, has approved it."), "info")
    else:
        flash(_("Nothing changed."), "success")
    return redirect(url_for("payments.payment_link_page", producer=producer.id))


def _render_link_page(producer, form, status=200, stale=False, limit_reached=False):
    if form is not None:
        form.current_password.data = ""
    latest = services.latest_payment_link(producer)
    in_force = services.payment_link(producer)
    return render_template(
        "payments/payment_link.html", producer=producer, form=form, link=in_force,
        host=link_host(in_force.url) if in_force else None,
        pending=latest if latest is not None and latest.status == PaymentLink.PENDING else None,
        rejected=latest if latest is not None and latest.status == PaymentLink.REJECTED else None,
        stale=stale, limit_reached=limit_reached, max_changes=MAX_CHANGES_PER_DAY), status


@bp.post("/nha-san-xuat/lien-ket-thanh-toan/xoa")
@login_required
def payment_link_remove():
    producer, _producers = _producer_from_request()
    if producer is None:
        abort(404)
    if EmptyForm().validate_on_submit() and services.remove_payment_link(producer, g.user):
        db.session.commit()
        flash(_("The payment link is removed."), "success")
    return redirect(url_for("payments.payment_link_page", producer=producer.id))
