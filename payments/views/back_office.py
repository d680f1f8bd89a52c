"""The producer's back office for payments (and officers or helpers on its behalf): orders
(/nha-san-xuat/don-hang) and the payment link (/nha-san-xuat/lien-ket-thanh-toan)."""
from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from accounts.auth import login_required
from accounts.passwords import verify_password
from accounts.phones import display_phone
from core.forms import EmptyForm
from extensions import db, limiter
from payments import services
from payments.constants import STATUS_ACTIONS, STATUS_LABELS, OrderStatus
from payments.models import Order, PaymentLink
from payments.rules import link_host, next_statuses
from payments.views.common import no_store
from payments.views.forms import PaymentLinkForm, StatusForm
from producers.payment_details import MAX_CHANGES_PER_DAY, TooManyChanges

# The producers' prefix: these pages belong to the same back office.
bp = Blueprint("payments", __name__, url_prefix="/nha-san-xuat")


# --- orders ---------------------------------------------------------------------------------

def _managed_order_or_404(code):
    code = (code or "").upper()
    return db.first_or_404(services.managed_orders_query(g.user).where(Order.code == code))


@bp.get("/don-hang")
@login_required
def producer_orders():
    query = services.managed_orders_query(g.user)
    status = request.args.get("trang-thai")
    if status in OrderStatus.ALL:
        query = query.where(Order.status == status)
    page = db.paginate(query, page=request.args.get("trang", 1, type=int),
                       per_page=current_app.config["PAGE_SIZE"], error_out=False)
    several_producers = len(services.managed_producers(g.user)) > 1
    return no_store(render_template("payments/producer_orders.html", page=page, status=status,
                                     statuses=OrderStatus.ALL, status_labels=STATUS_LABELS,
                                     several_producers=several_producers, display_phone=display_phone))


@bp.get("/don-hang/<code>")
@login_required
def producer_order(code):
    order = _managed_order_or_404(code)
    return no_store(render_template(
        "payments/producer_order.html", order=order, status_labels=STATUS_LABELS, actions=STATUS_ACTIONS,
        next_statuses=next_statuses(order.status), form=StatusForm(formdata=None), display_phone=display_phone))


@bp.post("/don-hang/<code>/trang-thai")
@login_required
def producer_order_status(code):
    order = _managed_order_or_404(code)
    form = StatusForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.change_status(order, form.status.data, g.user)
    except services.StatusChangeRefused:
        db.session.rollback()
        flash(_("This change is not possible: the order is %(status)s.", status=STATUS_LABELS[order.status]),
              "error")
        return redirect(url_for("payments.producer_order", code=order.code), 303)
    db.session.commit()
    flash(_("Order %(code)s: %(status)s.", code=order.code, status=STATUS_LABELS[order.status]), "success")
    return redirect(url_for("payments.producer_order", code=order.code), 303)


# --- payment links ---------------------------------------------------------------------------

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


@bp.route("/lien-ket-thanh-toan", methods=["GET", "POST"])
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


@bp.post("/lien-ket-thanh-toan/xoa")
@login_required
def payment_link_remove():
    producer, _producers = _producer_from_request()
    if producer is None:
        abort(404)
    if EmptyForm().validate_on_submit() and services.remove_payment_link(producer, g.user):
        db.session.commit()
        flash(_("The payment link is removed."), "success")
    return redirect(url_for("payments.payment_link_page", producer=producer.id))
