"""Producers' payment pages (and their commune's officers and helpers): orders by payment,
CSV export, transactions waiting to be matched, statement upload, SePay and Casso connections."""
import csv
import io
import os
import tempfile

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import to_user_timezone

from accounts.auth import login_required
from accounts.phones import display_phone
from catalog.exporters.cells import neutralise_cell
from catalog.importer.messages import ImportFileError
from catalog.importer.sheet import ZIP_MAGIC, read_table
from catalog.importer.texts import file_error_message
from core.forms import EmptyForm
from core.i18n import format_vnd
from extensions import db, limiter
from payments.services import managed_producers
from payments.constants import STATUS_LABELS
from reconcile import services
from reconcile.views.forms import FeedForm, MatchForm, StatementForm
from reconcile.models import BankTransaction
from reconcile.statement import StatementError, read_statement
from reconcile.constants import (OUTCOME_LABELS, PROGRESS_BY_SLUG, PROGRESS_LABELS, PROGRESS_SLUGS, SERVICE_LABELS,
                                 SOURCE_LABELS, MatchState, PaymentProgress, Service, label)
from reconcile.texts import MATCH_REFUSALS, ROW_PROBLEMS, STATEMENT_ERRORS

# The producer's back office: its pages share the producers' prefix.
bp = Blueprint("reconcile", __name__, url_prefix="/nha-san-xuat")

MAX_STATEMENT_BYTES = 5 * 1024 * 1024
CSV_COLUMNS = ("code", "ordered_at", "product", "quantity", "amount_vnd", "received_vnd", "payment", "status",
               "buyer_name", "buyer_phone", "paid_at")


def _no_store(response):
    response = current_app.make_response(response)
    response.headers["Cache-Control"] = "no-store"
    return response


def _chosen_progress():
    return PROGRESS_BY_SLUG.get(request.args.get("tinh-trang", ""))


def _chosen_producer():
    """(producer or None when the user must choose, all managed producers); 404 for another's."""
    producers = managed_producers(g.user)
    chosen = request.values.get("producer", type=int)
    if chosen is not None:
        producer = next((p for p in producers if p.id == chosen), None)
        if producer is None:
            abort(404)
        return producer, producers
    return (producers[0] if len(producers) == 1 else None), producers


def _common():
    return {"progress_labels": PROGRESS_LABELS, "progress_slugs": PROGRESS_SLUGS, "outcome_labels": OUTCOME_LABELS,
            "source_labels": SOURCE_LABELS, "status_labels": STATUS_LABELS, "display_phone": display_phone,
            "progress_of": services.progress_of}


# --- orders by payment -----------------------------------------------------------------------

@bp.get("/thanh-toan")
@login_required
def payments_overview():
    progress = _chosen_progress()
    page = db.paginate(services.orders_by_progress(g.user, progress), page=request.args.get("trang", 1, type=int),
                       per_page=current_app.config["PAGE_SIZE"], error_out=False)
    waiting = db.session.scalar(db.select(db.func.count()).select_from(
        services.managed_transactions_query(g.user).order_by(None).subquery()))
    return _no_store(render_template("reconcile/overview.html", page=page, progress=progress,
                                     progresses=list(PaymentProgress), waiting=waiting, **_common()))


def _local(moment):
    return to_user_timezone(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


@bp.get("/thanh-toan.csv")
@login_required
def payments_csv():
    """The filtered list as CSV (UTF-8 with BOM for Excel); text cells are guarded against formulas."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for order in db.session.scalars(services.orders_by_progress(g.user, _chosen_progress())):
        writer.writerow([order.code, _local(order.created_at), neutralise_cell(order.product_name), order.quantity,
                         order.amount_vnd, order.received_vnd, label(PROGRESS_LABELS, services.progress_of(order)),
                         label(STATUS_LABELS, order.status), neutralise_cell(order.buyer_name),
                         neutralise_cell(display_phone(order.buyer_phone)), _local(order.paid_at)])
    response = current_app.response_class(buffer.getvalue().encode("utf-8"), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="don-hang-thanh-toan.csv"'
    response.headers["Cache-Control"] = "no-store"
    return response


# --- transactions waiting for the producer ----------------------------------------------------

@bp.get("/thanh-toan/giao-dich")
@login_required
def transactions():
    waiting = db.session.scalars(services.managed_transactions_query(g.user).limit(200)).all()
    return _no_store(render_template("reconcile/transactions.html", transactions=waiting, **_common()))


def _managed_transaction_or_404(transaction_id):
    query = (services.managed_transactions_query(g.user).order_by(None)
             .where(BankTransaction.id == transaction_id))
    return db.first_or_404(query)


@bp.post("/thanh-toan/giao-dich/<int:transaction_id>/ghep")
@login_required
def match_transaction(transaction_id):
    transaction = _managed_transaction_or_404(transaction_id)
    form = MatchForm()
    if not form.validate_on_submit():
        flash(form.order_code.errors[0] if form.order_code.errors else _("Please try again."), "error")
        return redirect(url_for("reconcile.transactions"), 303)
    try:
        outcome = services.match_by_hand(transaction, form.order_code.data, g.user)
    except services.MatchRefused as refused:
        db.session.rollback()
        flash(str(MATCH_REFUSALS[refused.code]), "error")
        return redirect(url_for("reconcile.transactions"), 303)
    code = transaction.order.code
    db.session.commit()
    flash(_("The transfer of %(amount)s now counts for order %(code)s: %(outcome)s.",
            amount=format_vnd(transaction.amount_vnd), code=code, outcome=label(OUTCOME_LABELS, outcome)), "success")
    return redirect(url_for("reconcile.transactions"), 303)


@bp.post("/thanh-toan/giao-dich/<int:transaction_id>/bo-qua")
@login_required
def ignore_transaction(transaction_id):
    transaction = _managed_transaction_or_404(transaction_id)
    if EmptyForm().validate_on_submit() and services.ignore(transaction):
        db.session.commit()
        flash(_("The transfer is set aside: it belongs to no order."), "success")
    return redirect(url_for("reconcile.transactions"), 303)


# --- statement upload ----------------------------------------------------------------------------

@bp.route("/thanh-toan/sao-ke", methods=["GET", "POST"])
@login_required
@limiter.limit("30 per hour", methods=["POST"])
def statement_upload():
    producer, producers = _chosen_producer()
    if producer is None:
        return render_template("reconcile/choose_producer.html", producers=producers,
                               endpoint="reconcile.statement_upload")
    form = StatementForm()
    result = error = None
    if form.validate_on_submit():
        result, error = _import_statement(producer, form.file.data)
    status = 400 if request.method == "POST" and (error or form.errors) else 200
    return _no_store((render_template("reconcile/statement.html", producer=producer, form=form, result=result,
                                      error=error, several=len(producers) > 1, **_common()), status))


def _import_statement(producer, upload):
    data = upload.stream.read(MAX_STATEMENT_BYTES + 1)
    if len(data) > MAX_STATEMENT_BYTES:
        return None, _("The file is larger than %(max_mb)s MB.", max_mb=MAX_STATEMENT_BYTES // (1024 * 1024))
    # openpyxl opens workbooks by their extension, so the copy gets the one its content calls for.
    suffix = ".xlsx" if data.startswith(ZIP_MAGIC) else ".csv"
    handle, path = tempfile.mkstemp(prefix="statement-", suffix=suffix, dir=current_app.config["UPLOAD_DIR"])
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        reading = read_statement(read_table(path))
    except ImportFileError as problem:
        return None, file_error_message(problem)
    except StatementError as problem:
        return None, str(STATEMENT_ERRORS[problem.code]) % problem.params
    finally:
        os.remove(path)
    recorded = [services.record_incoming(producer, incoming) for incoming in reading.credits]
    db.session.commit()
    new = [item.transaction for item in recorded if item.created]
    result = {
        "credits": len(reading.credits),
        "new": len(new),
        "repeated": len(recorded) - len(new),
        "matched": [t for t in new if t.state == MatchState.MATCHED],
        "unmatched": [t for t in new if t.state == MatchState.UNMATCHED],
        "money_out": reading.money_out,
        "problems": [str(ROW_PROBLEMS[p.code]) % {"row": p.row, "value": p.value} for p in reading.problems],
    }
    return result, None


# --- SePay and Casso connections ----------------------------------------------------------------

def _webhook_urls(feeds):
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    endpoints = {Service.SEPAY: "reconcile_webhooks.sepay_webhook", Service.CASSO: "reconcile_webhooks.casso_webhook"}
    return {service: base + url_for(endpoints[service], hook_id=feed.hook_id)
            for service, feed in feeds.items() if feed is not None}


@bp.route("/thanh-toan/ket-noi", methods=["GET", "POST"])
@login_required
def feeds_page():
    producer, producers = _chosen_producer()
    if producer is None:
        return render_template("reconcile/choose_producer.html", producers=producers, endpoint="reconcile.feeds_page")
    service_value = request.values.get("service", Service.SEPAY)
    service = Service(service_value) if service_value in set(Service) else Service.SEPAY
    form = FeedForm().for_service(service)
    if request.method == "POST" and form.validate_on_submit():
        services.connect(producer, service, form.method, form.secret.data, g.user)
        db.session.commit()
        flash(_("%(service)s is connected. Paste the address below into %(service)s as the webhook URL.",
                service=SERVICE_LABELS[service]), "success")
        return redirect(url_for("reconcile.feeds_page", producer=producer.id), 303)
    feeds = {each: services.feed_for(producer, each) for each in Service}
    forms = {each: form if each == service and request.method == "POST" else _feed_form(each, feeds[each])
             for each in Service}
    status = 400 if request.method == "POST" else 200
    return _no_store((render_template("reconcile/feeds.html", producer=producer, feeds=feeds, forms=forms,
                                      urls=_webhook_urls(feeds), service_labels=SERVICE_LABELS,
                                      several=len(producers) > 1), status))


def _feed_form(service, feed):
    """A blank form, set to the way the service signs today when it is connected."""
    form = FeedForm(formdata=None)
    if feed is not None:
        form.auth_method.data = feed.auth_method
    return form.for_service(service)


@bp.post("/thanh-toan/ket-noi/ngat")
@login_required
def feed_disconnect():
    producer, _producers = _chosen_producer()
    service_value = request.form.get("service", "")
    if producer is None or service_value not in set(Service):
        abort(404)
    if EmptyForm().validate_on_submit() and services.disconnect(producer, Service(service_value), g.user):
        db.session.commit()
        flash(_("%(service)s is disconnected.", service=SERVICE_LABELS[Service(service_value)]), "success")
    return redirect(url_for("reconcile.feeds_page", producer=producer.id), 303)
