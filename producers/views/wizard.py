"""The producer's side: dashboard, the onboarding wizard (steps 2, 4 and 5), submission and
the private document images. Step 3 lives in views/documents.py, the on-behalf and claim pages
in views/behalf.py; what they share in views/common.py and views/profile.py."""
from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from accounts.auth import login_required
from accounts.passwords import verify_password
from core import conflicts
from core.forms import EmptyForm
from core.http import send_stored
from core.uploads import formdata_with_uploads
from extensions import db, limiter
from media.storage import InvalidImageKey
from notifications import services as notices
from producers import rules, services
from producers.models import mask_account
from producers.views import bp, texts
from producers.views.common import closed_step, load_producer, resume_url, step_url, store_document_photo
from producers.views.forms import BankAccountChangeForm, BankAccountForm
from producers.views.profile import profile_step

# --- dashboard and the place look-up ----------------------------------------------------------

@bp.get("")
@login_required
def dashboard():
    if g.user.works_for_communes:
        return redirect(url_for("producers.helper_home"))
    return render_template("producers/dashboard.html", producers=services.owned_producers(g.user))


# --- step 2: the producer profile -------------------------------------------------------------

@bp.route("/ho-so", methods=["GET", "POST"])
@login_required
def wizard_start():
    """Right after registering: the producer's first profile. A producer has one profile,
    so a repeated submission (double tap, retry after a dropped connection) updates it."""
    if g.user.works_for_communes:
        return redirect(url_for("producers.start_on_behalf"))
    existing = services.owned_producers(g.user)
    if existing and request.method == "GET":
        return redirect(resume_url(existing[0]) if len(existing) == 1 else url_for("producers.dashboard"))
    if existing:
        producer = existing[0]
        if not rules.can_edit_profile(producer.status):
            return closed_step(producer, rules.PROFILE, False)
        # A repeat of the first-profile form (double tap, retry): it carries no version to check.
        return profile_step(producer, check_version=False)
    return profile_step(None)


@bp.route("/ho-so/<int:producer_id>/buoc-2", methods=["GET", "POST"])
@login_required
def step_profile(producer_id):
    producer = load_producer(producer_id)
    closed = closed_step(producer, rules.PROFILE, rules.can_edit_profile(producer.status))
    return closed or profile_step(producer)


# --- step 4: bank account ---------------------------------------------------------------------

@bp.route("/ho-so/<int:producer_id>/buoc-4", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
@login_required
def step_bank(producer_id):
    producer = load_producer(producer_id)
    closed = closed_step(producer, rules.BANK, rules.can_edit_bank(producer.status))
    if closed:
        return closed
    change = services.needs_reapproval(producer)
    form_class = BankAccountChangeForm if change else BankAccountForm
    if request.method == "GET":
        return render_bank(form_class(data=bank_form_data(producer)), producer, change)
    form = form_class(formdata=formdata_with_uploads("proof"))
    if change and not services.payment_change_allowed(producer):
        return render_bank(form, producer, change, limit_reached=True), 429
    if not form.validate_on_submit():
        return render_bank(form, producer, change), 400
    if change and not verify_password(g.user.password_hash, form.current_password.data):
        form.current_password.errors.append(_("The password is wrong."))
        return render_bank(form, producer, change), 400
    latest = services.latest_payment_account(producer)
    if conflicts.is_stale(latest.version if latest else 0, form.bank_version.data):
        rows = bank_conflicts(producer, form_class, form)
        if rows:
            return render_bank_conflict(producer, form, change, rows)
    proof_key = None
    if form.proof.data and getattr(form.proof.data, "filename", ""):
        proof_key = store_document_photo(form.proof)
        if proof_key is None:
            return render_bank(form, producer, change), 400
    try:
        version, changed = services.save_payment_account(producer, form.normalised, g.user)
        if changed and proof_key:
            services.add_bank_proof(producer, version, proof_key, g.user)
        db.session.commit()
    except services.TooManyPaymentChanges:
        services.discard_images([proof_key])
        return render_bank(form, producer, change, limit_reached=True), 429
    except IntegrityError:
        # Another save took the same version number between the check and this write.
        db.session.rollback()
        services.discard_images([proof_key])
        producer = load_producer(producer.id)
        return render_bank_conflict(producer, form, change, bank_conflicts(producer, form_class, form))
    if not changed:
        services.discard_images([proof_key])
    if changed and change:
        flash(_("Your new bank details are saved. Your QR code is hidden until an officer of your commune "
                "approves them."), "info")
        return redirect(url_for("producers.dashboard") if producer.owner_id == g.user.id
                        else step_url(producer, rules.REVIEW))
    flash(_("Bank details saved.") if changed else _("Nothing changed."), "success")
    return redirect(step_url(producer, rules.REVIEW))


BANK_CONFLICT_FIELDS = ("bank_bin", "account_number", "holder_name")


def bank_form_data(producer):
    latest = services.latest_payment_account(producer)
    data = {name: getattr(latest, name) for name in services.PAYMENT_FIELDS} if latest else {}
    data["bank_version"] = latest.version if latest else 0
    return data


def bank_conflicts(producer, form_class, form):
    theirs = form_class(formdata=None, data=bank_form_data(producer))
    return conflicts.differences(theirs, form, BANK_CONFLICT_FIELDS, masks={"account_number": mask_account})


def render_bank_conflict(producer, form, change, rows):
    """409: the user's entries stay in the form, which now carries the newest version number."""
    form.bank_version.data = bank_form_data(producer)["bank_version"]
    return render_template("producers/step_bank.html", form=form, producer=producer, change=change,
                           limit_reached=False, max_changes=services.MAX_PAYMENT_CHANGES_PER_DAY,
                           conflict_rows=rows, conflict_title=conflicts.CONFLICT_TITLE,
                           conflict_message=conflicts.CONFLICT_MESSAGE), 409


def render_bank(form, producer, change, limit_reached=False):
    return render_template("producers/step_bank.html", form=form, producer=producer, change=change,
                           limit_reached=limit_reached, max_changes=services.MAX_PAYMENT_CHANGES_PER_DAY)


# --- step 5: review and submit ----------------------------------------------------------------

@bp.get("/ho-so/<int:producer_id>/buoc-5")
@login_required
def step_review(producer_id):
    producer = load_producer(producer_id)
    if not rules.step_is_open(rules.REVIEW, producer.wizard_step) and rules.can_edit_profile(producer.status):
        return redirect(resume_url(producer))
    return render_review(producer)


def render_review(producer, status=200):
    return render_template("producers/step_review.html", producer=producer,
                           missing=rules.missing_items(producer),
                           payment=services.latest_payment_account(producer),
                           in_full=services.sees_in_full(producer, g.user),
                           notices=notices.recent_for(g.user, producer.id)), status


@bp.post("/ho-so/<int:producer_id>/gui")
@login_required
def submit(producer_id):
    producer = load_producer(producer_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        services.submit(producer, g.user)
    except services.NotAllowedNow:
        flash(texts.locked_message(producer.status), "info")
        return redirect(step_url(producer, rules.REVIEW))
    except services.IncompleteProfile:
        flash(_("Some information is still missing. Please complete the items listed below."), "error")
        return render_review(producer, 400)
    db.session.commit()
    flash(_("Sent! The officer of your commune will check your profile, usually within a few working days."),
          "success")
    return redirect(url_for("producers.dashboard") if producer.owner_id == g.user.id
                    else url_for("producers.helper_home"))


# --- private document images ------------------------------------------------------------------

@bp.get("/ho-so/<int:producer_id>/anh/<key>/<int:width>")
@login_required
def document_image(producer_id, key, width):
    """A document or certificate photo, only for those who may open the producer."""
    producer = load_producer(producer_id)
    if width not in services.DOCUMENT_WIDTHS or not services.image_belongs_to(producer, key):
        abort(404)
    try:
        found = services.image_store().for_sending(key, width)
    except InvalidImageKey:
        abort(404)
    if found is None:
        abort(404)
    response = send_stored(found, "image/webp", f"{key}-{width}", max_age=3600)
    response.cache_control.private = True
    response.cache_control.public = False
    return response
