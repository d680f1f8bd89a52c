"""Order pages for buyers: they order without an account (/dat-hang/<product>), follow the order
by its code (/don-hang/<code>) and find it again by code and phone (/tra-cuu-don-hang)."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from accounts.phones import display_phone
from core.i18n import format_vnd
from extensions import db, limiter
from payments import services
from payments.constants import STATUS_EXPLANATIONS, STATUS_LABELS, OrderStatus
from payments.qrcard import CardLine, payment_card_png
from payments.rules import OrderRefused, link_host, saved_code_filename
from payments.services import PaymentState
from payments.texts import refusal_message
from payments.views.common import image_response, too_many, no_store, order_lookup_limit, order_payload_or_error, qr_markup
from payments.views.forms import SPAM_MESSAGES, LookupForm, OrderForm

orders_bp = Blueprint("orders", __name__, url_prefix="/don-hang")
order_form_bp = Blueprint("order_form", __name__, url_prefix="/dat-hang")
lookup_bp = Blueprint("order_lookup", __name__, url_prefix="/tra-cuu-don-hang")


def _order_limit():
    return current_app.config["ORDER_RATE_LIMIT"]


for _blueprint in (orders_bp, order_form_bp, lookup_bp):
    _blueprint.register_error_handler(429, too_many)


@order_form_bp.route("/<int:product_id>", methods=["GET", "POST"])
@limiter.limit(_order_limit, methods=["POST"])
def place_order(product_id):
    """The order form on its own page (the product page embeds the same box)."""
    product = services.public_product(product_id)
    if product is None:
        abort(404)
    form = OrderForm()
    problem = order_error = None
    if request.method == "POST" and form.validate_on_submit():
        problem = form.spam_problem(product.id)
        if problem is None:
            try:
                order = services.create_order(
                    product, quantity=form.quantity.data, buyer_name=form.buyer_name.data,
                    buyer_phone=form.buyer_phone.data, delivery_address=form.delivery_address.data,
                    note=form.note.data)
            except OrderRefused as refused:
                db.session.rollback()
                order_error = refusal_message(refused)
            else:
                db.session.commit()
                services.remember_order(order.code)
                flash(_("Your order %(code)s is sent to the producer.", code=order.code), "success")
                # The form posted to …#dat-hang; an explicit fragment stops the browser carrying it over.
                return redirect(url_for("orders.order_page", code=order.code, _anchor="don-hang"))
    form.start(product.id)  # after a refusal too: a fresh start time for the next attempt
    status = 400 if request.method == "POST" else 200
    if problem:
        order_error = SPAM_MESSAGES[problem]
    return render_template("payments/order_new.html", product=product, order_form=form,
                           order_error=order_error), status


def _order_view(order):
    payload = services.order_payload(order)
    target = services.payment_target(order.producer) if payload else None
    link = services.order_payment_link(order)
    return {
        "order": order,
        "payload": payload,
        "target": target,
        "memo": services.order_memo(order) if payload else None,
        "qr": qr_markup(payload, _("VietQR code for order %(code)s", code=order.code)) if payload else None,
        "pending": order.status == OrderStatus.NEW
        and services.payment_state(order.producer) == PaymentState.PENDING,
        "saved_code_url": url_for("orders.order_saved_code", code=order.code) if payload else None,
        "saved_code_name": saved_code_filename(order.code, order.amount_vnd),
        "link": link,
        "link_host": link_host(link) if link else None,
        "link_qr": qr_markup(link, _("Payment link for order %(code)s", code=order.code), scale=4) if link else None,
        "status_label": STATUS_LABELS[order.status],
        "status_explanation": STATUS_EXPLANATIONS[order.status],
        "display_phone": display_phone,
    }


@orders_bp.get("/<code>")
def order_page(code):
    order = services.accessible_order(code)
    if order is None:
        # Same answer whether the code exists or not: the lookup form asks for the phone.
        return redirect(url_for("order_lookup.order_lookup", ma=code[:20]))
    return no_store(render_template("payments/order.html", **_order_view(order)))


@orders_bp.get("/<code>/ma-qr.png")
@order_lookup_limit
def order_saved_code(code):
    """"Save the code": the order's VietQR with the transfer details printed under it, for the
    phone's gallery; bank apps read it with "scan from image"."""
    found, error = order_payload_or_error(code)
    if error is not None:
        return no_store(error)
    order, payload = found
    target = services.payment_target(order.producer)
    lines = [
        CardLine(_("Amount"), format_vnd(order.amount_vnd), large=True),
        CardLine(_("Bank"), target.bank_name, note=target.bank_official_name),
        CardLine(_("Account holder"), target.holder_name),
        CardLine(_("Account number"), target.account_number),
        CardLine(_("Transfer content"), services.order_memo(order)),
    ]
    png = payment_card_png(payload, heading=_("Chợ Quê · Order %(code)s", code=order.code), lines=lines)
    return image_response(png, "image/png", saved_code_filename(order.code, order.amount_vnd))


@lookup_bp.route("", methods=["GET", "POST"])
@order_lookup_limit
def order_lookup():
    form = LookupForm()
    if request.method == "GET":
        form.code.data = request.args.get("ma", "")[:20]
    not_found = False
    if form.validate_on_submit():
        order = services.find_order(form.code.data, form.phone.data)
        if order is not None:
            services.remember_order(order.code)
            return redirect(url_for("orders.order_page", code=order.code))
        not_found = True
    status = 404 if not_found else (400 if request.method == "POST" else 200)
    return render_template("payments/lookup.html", form=form, not_found=not_found), status
