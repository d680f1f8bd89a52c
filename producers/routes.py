"""The producer's side: dashboard, the onboarding wizard (steps 2, 4 and 5) and what they
share. Step 3 lives in routes_documents.py, the on-behalf and claim pages in routes_behalf.py."""
from flask import abort, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from accounts.auth import login_required
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from accounts.passwords import verify_password
from accounts.phones import display_phone
from core import conflicts
from core.forms import EmptyForm
from core.http import send_stored
from core.uploads import formdata_with_uploads
from extensions import db, limiter
from media.images import ImageRejected
from media.messages import STORAGE_FAILURE_MESSAGE, rejection_message
from media.storage import InvalidImageKey, StorageError
from notifications import services as notices
from payments.banks import bank_by_bin
from places.former import find_communes
from places.units import commune, communes, province
from producers import bp, services, texts, wizard
from producers.forms import BankAccountChangeForm, BankAccountForm, ProfileForm, commune_choice_label
from producers.identifiers import group_account, mask_personal_id
from producers.models import mask_account

STEP_ENDPOINTS = {
    wizard.PROFILE: "producers.step_profile",
    wizard.DOCUMENTS: "producers.step_documents",
    wizard.BANK: "producers.step_bank",
    wizard.REVIEW: "producers.step_review",
}
COMMUNES_CACHE_SECONDS = 7 * 24 * 3600


def step_url(producer, step):
    return url_for(STEP_ENDPOINTS[wizard.clamp_step(step)], producer_id=producer.id)


def resume_url(producer):
    return step_url(producer, wizard.resume_step(producer.status, producer.wizard_step))


def place_name(producer):
    """'Xã Gia Phú, Lào Cai' for display; empty while no commune is chosen."""
    chosen = commune(producer.commune_code)
    if chosen is None:
        return ""
    return f"{chosen.name}, {province(chosen.province_code).name}"


def bank_name(bank_bin):
    bank = bank_by_bin(bank_bin)
    return bank.short_name if bank else bank_bin


@bp.context_processor
def _wizard_helpers():
    return {"step_url": step_url, "resume_url": resume_url, "wizard": wizard, "texts": texts,
            "place_name": place_name, "bank_name": bank_name, "display_phone": display_phone,
            "mask_personal_id": mask_personal_id, "group_account": group_account}


def load_producer(producer_id):
    """The producer if the logged-in user may work on it, else 404 (never 403: no hint it exists)."""
    return services.producer_or_404(producer_id, g.user)


def closed_step(producer, step, editable):
    """A redirect when this step cannot be used now, else None."""
    if not editable:
        flash(texts.locked_message(producer.status), "info")
        return redirect(step_url(producer, wizard.REVIEW))
    if not wizard.step_is_open(step, producer.wizard_step):
        return redirect(resume_url(producer))
    return None


# --- dashboard and the place look-up ----------------------------------------------------------

@bp.get("/nha-san-xuat")
@login_required
def dashboard():
    if g.user.works_for_communes:
        return redirect(url_for("producers.helper_home"))
    return render_template("producers/dashboard.html", producers=services.owned_producers(g.user))


@bp.get("/api/communes")
def api_communes():
    """Communes of a province for the JavaScript filter, narrowed by `q` (former names too);
    public data, cached by browsers."""
    chosen = province(request.args.get("province", ""))
    if chosen is None:
        abort(404)
    typed = request.args.get("q", "")[:80].strip()
    if typed:
        items = [{"code": c.commune.code, "name": commune_choice_label(c)} for c in find_communes(chosen.code, typed)]
    else:
        items = [{"code": c.code, "name": c.name} for c in communes(chosen.code)]
    response = jsonify({"province": chosen.code, "communes": items})
    response.cache_control.public = True
    response.cache_control.max_age = COMMUNES_CACHE_SECONDS
    return response


# --- step 2: the producer profile -------------------------------------------------------------

@bp.route("/nha-san-xuat/ho-so", methods=["GET", "POST"])
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
        if not wizard.can_edit_profile(producer.status):
            return closed_step(producer, wizard.PROFILE, False)
        # A repeat of the first-profile form (double tap, retry): it carries no version to check.
        return profile_step(producer, check_version=False)
    return profile_step(None)


@bp.route("/nha-san-xuat/ho-so/<int:producer_id>/buoc-2", methods=["GET", "POST"])
@login_required
def step_profile(producer_id):
    producer = load_producer(producer_id)
    closed = closed_step(producer, wizard.PROFILE, wizard.can_edit_profile(producer.status))
    return closed or profile_step(producer)


def profile_step(producer, on_behalf=False, check_version=True):
    """Shared by the producer's own wizard and a helper starting a profile for a farmer."""
    allowed = g.user.commune_codes if g.user.works_for_communes else None
    if request.method == "GET":
        initial = ProfileForm.initial(producer, default_phone=None if on_behalf else g.user.phone)
        form = ProfileForm(data=initial, allowed_communes=allowed)
        return render_profile(form, producer, on_behalf)
    form = ProfileForm(allowed_communes=allowed)
    if request.form.get("action") in ("choose_province", "find_commune"):
        # The place choice without JavaScript: nothing is saved, every typed field is kept.
        codes = [code for code, _label in form.commune.choices[1:]]
        if form.commune.data not in codes:
            form.commune.data = codes[0] if len(codes) == 1 else None
        return render_profile(form, producer, on_behalf, focus_commune=True)
    if not form.validate_on_submit():
        return render_profile(form, producer, on_behalf), 400
    profile = form.profile()
    if producer is not None and check_version and conflicts.is_stale(producer.edit_version, form.edit_version.data):
        rows = profile_conflicts(producer, form, allowed)
        if rows:
            return render_profile_conflict(producer, form, on_behalf, rows)
    if producer is None:
        # A helper's double tap on a slow connection updates the draft made moments ago.
        producer = services.recent_duplicate(g.user, profile) if on_behalf else None
    if producer is None:
        producer = services.create_producer(profile, g.user, owner=None if on_behalf else g.user)
    else:
        services.update_profile(producer, profile, g.user)
    try:
        db.session.commit()
    except StaleDataError:
        # Another save won the race between the version check and this write.
        db.session.rollback()
        producer = load_producer(producer.id)
        return render_profile_conflict(producer, form, on_behalf, profile_conflicts(producer, form, allowed))
    flash(_("Saved. Next: your documents and OCOP certificates."), "success")
    return redirect(step_url(producer, wizard.DOCUMENTS))


PROFILE_CONFLICT_FIELDS = ("kind", "legal_name", "tax_code", "representative", "province", "commune", "address",
                           "phone", "zalo")


def profile_conflicts(producer, form, allowed):
    theirs = ProfileForm(formdata=None, data=ProfileForm.initial(producer), allowed_communes=allowed)
    return conflicts.differences(theirs, form, PROFILE_CONFLICT_FIELDS)


def render_profile_conflict(producer, form, on_behalf, rows):
    """409: the user's entries stay in the form, which now carries the current version."""
    form.edit_version.data = producer.edit_version
    return render_template("producers/step_profile.html", form=form, producer=producer, on_behalf=on_behalf,
                           action=url_for("producers.step_profile", producer_id=producer.id), focus_commune=False,
                           js_filter=not g.user.works_for_communes, conflict_rows=rows,
                           conflict_title=conflicts.CONFLICT_TITLE, conflict_message=conflicts.CONFLICT_MESSAGE), 409


def render_profile(form, producer, on_behalf, focus_commune=False):
    if producer is not None:
        action = url_for("producers.step_profile", producer_id=producer.id)
    elif on_behalf:
        action = url_for("producers.start_on_behalf")
    else:
        action = url_for("producers.wizard_start")
    return render_template("producers/step_profile.html", form=form, producer=producer, action=action,
                           on_behalf=on_behalf, focus_commune=focus_commune,
                           js_filter=not g.user.works_for_communes)


# --- step 4: bank account ---------------------------------------------------------------------

@bp.route("/nha-san-xuat/ho-so/<int:producer_id>/buoc-4", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
@login_required
def step_bank(producer_id):
    producer = load_producer(producer_id)
    closed = closed_step(producer, wizard.BANK, wizard.can_edit_bank(producer.status))
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
                        else step_url(producer, wizard.REVIEW))
    flash(_("Bank details saved.") if changed else _("Nothing changed."), "success")
    return redirect(step_url(producer, wizard.REVIEW))


BANK_CONFLICT_FIELDS = ("bank_bin", "account_number", "holder_name")


def store_document_photo(field):
    """The stored photo's key, or None with the reason added to the field's errors."""
    try:
        return services.store_document_image(field.data)
    except ImageRejected as error:
        field.errors.append(rejection_message(error))
    except StorageError:
        field.errors.append(str(STORAGE_FAILURE_MESSAGE))
    return None


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

@bp.get("/nha-san-xuat/ho-so/<int:producer_id>/buoc-5")
@login_required
def step_review(producer_id):
    producer = load_producer(producer_id)
    if not wizard.step_is_open(wizard.REVIEW, producer.wizard_step) and wizard.can_edit_profile(producer.status):
        return redirect(resume_url(producer))
    return render_review(producer)


def render_review(producer, status=200):
    return render_template("producers/step_review.html", producer=producer,
                           missing=wizard.missing_items(producer),
                           payment=services.latest_payment_account(producer),
                           in_full=services.sees_in_full(producer, g.user),
                           notices=notices.recent_for(g.user, producer.id)), status


@bp.post("/nha-san-xuat/ho-so/<int:producer_id>/gui")
@login_required
def submit(producer_id):
    producer = load_producer(producer_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        services.submit(producer, g.user)
    except services.NotAllowedNow:
        flash(texts.locked_message(producer.status), "info")
        return redirect(step_url(producer, wizard.REVIEW))
    except services.IncompleteProfile:
        flash(_("Some information is still missing. Please complete the items listed below."), "error")
        return render_review(producer, 400)
    db.session.commit()
    flash(_("Sent! The officer of your commune will check your profile, usually within a few working days."),
          "success")
    return redirect(url_for("producers.dashboard") if producer.owner_id == g.user.id
                    else url_for("producers.helper_home"))


# --- private document images ------------------------------------------------------------------

@bp.get("/nha-san-xuat/ho-so/<int:producer_id>/anh/<key>/<int:width>")
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


from producers import routes_behalf, routes_documents  # noqa: E402,F401
