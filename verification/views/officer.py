"""Officer pages under /can-bo: the queue, the dossier, decisions, bank-details approvals, private document images.

Every view finds its producer through `services.producer_or_404(g.user, ...)`, which
filters by the officer's communes in the query: another commune's producer is a 404.
"""
from datetime import date
from types import SimpleNamespace

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from accounts.auth import roles_required
from accounts.phones import display_phone
from core.http import send_stored
from extensions import db
from media.storage import InvalidImageKey, image_store_for
from notifications import services as notices
from places import units
from producers import payment_details
from producers import services as producer_services
from producers.banks import bank_by_bin
from producers.constants import PaymentDetail, ProducerKind, ProducerStatus
from producers.models import PaymentAccount
from producers.rules import group_account
from verification import history, rules, services
from verification.constants import QUEUE_TABS, Decision
from verification.views import bp, forms

DECISION_SLUGS = {
    Decision.APPROVE: "duyet",
    Decision.REQUEST_CHANGES: "yeu-cau-bo-sung",
    Decision.REJECT: "tu-choi",
    Decision.SUSPEND: "tam-dung",
    Decision.REINSTATE: "khoi-phuc",
}
DEFAULT_TAB = ProducerStatus.SUBMITTED
KIND_LABELS = {kind: _l(kind.label) for kind in ProducerKind}  # defined once, in producers.constants
HISTORY_ON_DOSSIER = 20
# Documents are private: browsers may keep them briefly, shared caches never.
PRIVATE_IMAGE_MAX_AGE = 600
REFUSAL_STATUS = {"reason_required": 400, "own_producer": 403, "own_payment": 403, "own_dossier": 403}


@bp.context_processor
def _officer_helpers():
    return {
        "status_labels": forms.STATUS_LABELS,
        "kind_labels": KIND_LABELS,
        "document_labels": forms.DOCUMENT_LABELS,
        "payment_status_labels": forms.PAYMENT_STATUS_LABELS,
        "audit_labels": forms.AUDIT_LABELS,
        "decision_labels": forms.DECISION_LABELS,
        "commune_label": _commune_label,
        "bank_label": _bank_label,
        "display_phone": display_phone,
        "payment_waiting_since": services.waiting_since,
        "image_width": _largest_width,
        "describe_event": _describe_event,
        "describe_fields": _describe_fields,
        "group_account": group_account,
    }


def _describe_event(event):
    return history.describe(event.action, event.changes, get_locale())


def _describe_fields(changes):
    return history.describe("", changes, get_locale())


def _commune_label(commune_code):
    commune = units.commune(commune_code)
    if commune is None:
        return _("Commune not chosen yet")
    province = units.province(commune.province_code)
    return f"{commune.name}, {province.short_name}" if province else commune.name


def _largest_width(image_key):
    """Officers read documents: the largest stored rendition, or None if the file is gone."""
    try:
        widths = image_store_for(current_app.config).widths(image_key)
    except InvalidImageKey:
        return None
    return widths[-1] if widths else None


def _bank_label(bank_bin):
    bank = bank_by_bin(bank_bin)
    return bank.display_name if bank else _("Unknown bank (BIN %(bin)s)", bin=bank_bin)


# --- queue ------------------------------------------------------------------------

@bp.get("")
@roles_required(*services.VIEWING_ROLES)
def officer_queue():
    tab = request.args.get("tab", DEFAULT_TAB)
    if tab not in QUEUE_TABS:
        tab = DEFAULT_TAB
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    producers, has_more = services.queue_page(g.user, tab, page, current_app.config["PAGE_SIZE"])
    communes = [_commune_label(code) for code in g.user.commune_codes]
    return render_template("verification/queue.html", tabs=QUEUE_TABS, tab=tab, page=page, has_more=has_more,
                           counts=services.queue_counts(g.user), producers=producers, communes=communes)


# --- dossier ------------------------------------------------------------------------

@bp.get("/ho-so/<int:producer_id>")
@roles_required(*services.VIEWING_ROLES)
def dossier(producer_id):
    producer = services.producer_or_404(g.user, producer_id)
    return _render_dossier(producer)


@bp.get("/ho-so/<int:producer_id>/nhat-ky")
@roles_required(*services.VIEWING_ROLES)
def audit_log(producer_id):
    """The whole history, read only: the log has no edit or delete route at all."""
    producer = services.producer_or_404(g.user, producer_id)
    return render_template("verification/audit_log.html", producer=producer,
                           events=services.audit_history(producer))


def _payment_review(producer, kind, deciding):
    """What the dossier shows of one payment detail: the change waiting (with the approve and
    reject forms bound to exactly that version), the approved version, and the number to call."""
    _latest, latest_row = services.latest_payment_version(producer, kind)
    pending = latest_row if latest_row is not None and latest_row.status == PaymentAccount.PENDING else None
    model = services.DETAIL_MODELS[kind]
    approved = next((v for v in reversed(payment_details.versions(model, producer))
                     if v.status == PaymentAccount.APPROVED), None)
    review_forms = {}
    if deciding and pending is not None and producer.status in rules.PAYMENT_REVIEW_STATUSES:
        for action, form_class in (("approve", forms.PaymentApproveForm), ("reject", forms.PaymentRejectForm)):
            form = form_class(formdata=None)
            form.version_id.data = pending.id
            form.fingerprint.data = services.fingerprint_of(pending)
            review_forms[action] = form
    call_number = notices.number_on_record(producer, kind, pending.created_at) if pending is not None else None
    proof = producer_services.bank_proof_for(producer, pending) if kind == PaymentDetail.BANK_ACCOUNT else None
    return SimpleNamespace(kind=kind, pending=pending, approved=approved, forms=review_forms,
                           call_number=call_number, proof=proof)


def _render_dossier(producer, status=200, submitted=None, error=None):
    """The dossier page; `submitted` = (form key, form) re-shows a form that failed."""
    deciding = services.can_decide(g.user)
    bank = _payment_review(producer, PaymentDetail.BANK_ACCOUNT, deciding)
    link = _payment_review(producer, PaymentDetail.PAYMENT_LINK, deciding)
    pending = bank.pending
    block = services.decision_block(g.user, producer) if deciding else None
    escalated = deciding and bool(rules.allowed_decisions(producer.status)) and not services.free_officers(producer)
    decision_forms = {}
    if deciding:
        for name in rules.allowed_decisions(producer.status) if block is None else ():
            decision_forms[name] = forms.decision_form_class(name)(formdata=None)
        if "approve" in decision_forms and pending is not None:
            decision_forms["approve"].payment_version_id.data = pending.id
            decision_forms["approve"].payment_fingerprint.data = services.fingerprint_of(pending)
    payment_forms = {f"{action}_payment": form for action, form in bank.forms.items()}
    payment_forms.update({f"{action}_payment_link": form for action, form in link.forms.items()})
    if submitted is not None:
        key, form = submitted
        target = payment_forms if key in payment_forms else decision_forms
        if key in target and hasattr(form, "reason"):
            target[key].reason.data = form.reason.data
            target[key].reason.errors = form.reason.errors
    history_events = services.audit_history(producer, limit=HISTORY_ON_DOSSIER)
    since_request = services.changes_since_request(producer)
    return render_template(
        "verification/dossier.html", producer=producer, pending=pending, approved=bank.approved,
        bank_review=bank, link_review=link, decision_forms=decision_forms, payment_forms=payment_forms,
        history=history_events, since_request=since_request, today=date.today(), error=error, can_decide=deciding, decision_block=block,
        escalated=escalated,
        payment_review=producer.status in rules.PAYMENT_REVIEW_STATUSES), status


# --- decisions (POST only) -------------------------------------------------------------

def decide(producer_id, decision):
    producer = services.producer_or_404(g.user, producer_id, for_update=True)
    form = forms.decision_form_class(decision)()
    if not form.validate_on_submit():
        db.session.rollback()
        return _render_dossier(producer, 400, submitted=(decision, form))
    seen = None
    if decision == "approve":
        seen = rules.SeenPayment(form.payment_version_id.data, form.payment_fingerprint.data)
    reason = form.reason.data if hasattr(form, "reason") else None
    try:
        outcome = services.decide(g.user, producer, decision, reason=reason, seen=seen)
    except rules.DecisionRefused as refusal:
        return _refused(producer, refusal, (decision, form))
    db.session.commit()
    flash(str(forms.DECISION_DONE[decision]), "success")
    if outcome.payment == "approved":
        flash(_("The bank details you checked are approved."), "success")
    elif outcome.payment == "awaits_other_officer":
        flash(_("You entered the bank details yourself: another officer of the commune must approve them."),
              "info")
    return redirect(url_for("verification.dossier", producer_id=producer.id))


for _name, _slug in DECISION_SLUGS.items():
    bp.add_url_rule(f"/ho-so/<int:producer_id>/{_slug}", endpoint=_name,
                    view_func=roles_required(*services.DECIDING_ROLES)(decide),
                    defaults={"decision": _name}, methods=["POST"])


PAYMENT_DETAIL_SLUGS = {PaymentDetail.BANK_ACCOUNT: ("tai-khoan", "payment"),
                        PaymentDetail.PAYMENT_LINK: ("lien-ket", "payment_link")}
APPROVED_MESSAGES = {
    PaymentDetail.BANK_ACCOUNT: _l("The new bank details are approved and shown to buyers again."),
    PaymentDetail.PAYMENT_LINK: _l("The new payment link is approved and shown to buyers."),
}
REJECTED_MESSAGES = {
    PaymentDetail.BANK_ACCOUNT: _l("The new bank details were rejected. The previous approved account stays "
                                   "in use, and the producer will see your reason."),
    PaymentDetail.PAYMENT_LINK: _l("The new payment link was rejected. The previous approved link, if any, "
                                   "stays in use, and the producer will see your reason."),
}


def approve_payment(producer_id, kind):
    producer = services.producer_or_404(g.user, producer_id, for_update=True)
    form = forms.PaymentApproveForm()
    if not form.validate_on_submit():
        db.session.rollback()
        return _render_dossier(producer, 400, error=forms.refusal_message("stale_payment", kind))
    try:
        services.approve_payment(g.user, producer, rules.SeenPayment(form.version_id.data, form.fingerprint.data),
                                 kind)
    except rules.DecisionRefused as refusal:
        return _refused(producer, refusal, (f"approve_{PAYMENT_DETAIL_SLUGS[kind][1]}", form), kind)
    db.session.commit()
    flash(str(APPROVED_MESSAGES[kind]), "success")
    return redirect(url_for("verification.dossier", producer_id=producer.id))


def reject_payment(producer_id, kind):
    producer = services.producer_or_404(g.user, producer_id, for_update=True)
    form = forms.PaymentRejectForm()
    key = f"reject_{PAYMENT_DETAIL_SLUGS[kind][1]}"
    if not form.validate_on_submit():
        db.session.rollback()
        return _render_dossier(producer, 400, submitted=(key, form))
    seen = rules.SeenPayment(form.version_id.data, form.fingerprint.data)
    try:
        services.reject_payment(g.user, producer, seen, form.reason.data, kind)
    except rules.DecisionRefused as refusal:
        return _refused(producer, refusal, (key, form), kind)
    db.session.commit()
    flash(str(REJECTED_MESSAGES[kind]), "success")
    return redirect(url_for("verification.dossier", producer_id=producer.id))


for _kind, (_slug, _endpoint) in PAYMENT_DETAIL_SLUGS.items():
    for _action, _view, _verb in (("approve", approve_payment, "duyet"), ("reject", reject_payment, "tu-choi")):
        bp.add_url_rule(f"/ho-so/<int:producer_id>/{_slug}/{_verb}", endpoint=f"{_action}_{_endpoint}",
                        view_func=roles_required(*services.DECIDING_ROLES)(_view),
                        defaults={"kind": _kind}, methods=["POST"])


def _refused(producer, refusal, submitted, kind=PaymentDetail.BANK_ACCOUNT):
    """Nothing changes: roll back, then show the dossier as it is now, with the reason."""
    db.session.rollback()
    status = REFUSAL_STATUS.get(refusal.code, 409)
    return _render_dossier(producer, status, submitted=submitted, error=forms.refusal_message(refusal.code, kind))


# --- private images -------------------------------------------------------------------------

@bp.get("/tai-lieu/<int:document_id>/<int:width>")
@roles_required(*services.VIEWING_ROLES)
def document_image(document_id, width):
    document = services.document_or_404(g.user, document_id)
    return _private_image(document.image_key, width)


@bp.get("/chung-nhan/<int:certificate_id>/<int:width>")
@roles_required(*services.VIEWING_ROLES)
def certificate_image(certificate_id, width):
    certificate = services.certificate_or_404(g.user, certificate_id)
    return _private_image(certificate.image_key, width)


def _private_image(image_key, width):
    try:
        found = image_store_for(current_app.config).for_sending(image_key, width)
    except InvalidImageKey:
        abort(404)
    if found is None:
        abort(404)
    response = send_stored(found, "image/webp", f"{image_key}-{width}", max_age=PRIVATE_IMAGE_MAX_AGE)
    response.cache_control.public = False
    response.cache_control.private = True
    response.vary.add("Cookie")
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
