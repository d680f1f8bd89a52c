"""Step 3 of the wizard: the business registration photo and the OCOP certificates.
Each upload is its own small form, so a photo that fails on a slow connection costs
only that photo; a refused file keeps everything else that was typed."""
from types import SimpleNamespace

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from accounts.auth import login_required
from core import conflicts
from core.forms import EmptyForm
from core.i18n import format_day
from core.uploads import formdata_with_uploads
from extensions import db, limiter
from producers import rules, services
from producers.ocop import certificate_valid_until
from producers.views import bp
from producers.views.common import closed_step, load_producer, step_url, store_document_photo
from producers.views.forms import CertificateEditForm, CertificateForm, DocumentForm, product_set_choices

UPLOAD_LIMIT = "60 per hour"


def _open_documents_step(producer_id):
    producer = load_producer(producer_id)
    return producer, closed_step(producer, rules.DOCUMENTS, rules.can_edit_profile(producer.status))


@bp.get("/ho-so/<int:producer_id>/buoc-3")
@login_required
def step_documents(producer_id):
    producer, closed = _open_documents_step(producer_id)
    return closed or render_documents(producer, DocumentForm(formdata=None), CertificateForm(formdata=None))


def render_documents(producer, document_form, certificate_form, status=200):
    typed_date = certificate_form.decision_date.data if not certificate_form.decision_date.errors else None
    return render_template(
        "producers/step_documents.html", producer=producer, document_form=document_form,
        certificate_form=certificate_form, product_groups=product_set_choices(),
        typed_valid_until=certificate_valid_until(typed_date) if typed_date else None,
        today=certificate_form.today, needs_registration=rules.needs_business_registration(producer.kind),
        registration=next((d for d in producer.documents if d.kind == services.BUSINESS_REGISTRATION), None),
    ), status


def _commit_with_image(new_key, old_keys=()):
    """Commit, then drop replaced files; if the commit fails the new files go, not the row."""
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        services.discard_images([new_key])
        raise
    services.discard_images(old_keys)


@bp.post("/ho-so/<int:producer_id>/buoc-3/dang-ky-kinh-doanh")
@limiter.limit(UPLOAD_LIMIT)
@login_required
def upload_registration(producer_id):
    producer, closed = _open_documents_step(producer_id)
    if closed:
        return closed
    form = DocumentForm(formdata=formdata_with_uploads("photo"))
    key = store_document_photo(form.photo) if form.validate_on_submit() else None
    if key is None:
        return render_documents(producer, form, CertificateForm(formdata=None), 400)
    old_keys = services.replace_business_registration(producer, key, g.user)
    _commit_with_image(key, old_keys)
    flash(_("The photo of the business registration is saved."), "success")
    return redirect(step_url(producer, rules.DOCUMENTS) + "#registration")


@bp.post("/ho-so/<int:producer_id>/buoc-3/chung-nhan")
@limiter.limit(UPLOAD_LIMIT)
@login_required
def add_certificate(producer_id):
    producer, closed = _open_documents_step(producer_id)
    if closed:
        return closed
    form = CertificateForm(formdata=formdata_with_uploads("photo"))
    key = store_document_photo(form.photo) if form.validate_on_submit() else None
    if key is None:
        return render_documents(producer, DocumentForm(formdata=None), form, 400)
    certificate = services.add_certificate(producer, form.certificate(), key, g.user)
    _commit_with_image(key)
    if certificate.is_valid():
        flash(_("The certificate is saved."), "success")
    else:
        flash(_("The certificate is saved, but it expired on %(date)s. Buyers will not see its stars until "
                "it is renewed.", date=format_day(certificate.valid_until)), "error")
    return redirect(step_url(producer, rules.DOCUMENTS) + "#certificates")


@bp.route("/ho-so/<int:producer_id>/buoc-3/chung-nhan/<int:certificate_id>/xoa",
          methods=["GET", "POST"])
@login_required
def remove_certificate(producer_id, certificate_id):
    """GET asks first (naming the products that would lose their stars); POST removes."""
    producer, closed = _open_documents_step(producer_id)
    if closed:
        return closed
    certificate = services.certificate_or_404(producer, certificate_id)
    if request.method == "GET":
        return render_template("producers/certificate_remove.html", producer=producer, certificate=certificate,
                               products=services.products_of_certificate(certificate.id))
    if not EmptyForm().validate_on_submit():
        abort(400)
    key = services.remove_certificate(producer, certificate_id, g.user)
    db.session.commit()
    services.discard_images([key])
    flash(_("The certificate was removed."), "info")
    return redirect(step_url(producer, rules.DOCUMENTS) + "#certificates")


@bp.route("/ho-so/<int:producer_id>/buoc-3/chung-nhan/<int:certificate_id>/sua",
          methods=["GET", "POST"])
@limiter.limit(UPLOAD_LIMIT, methods=["POST"])
@login_required
def edit_certificate(producer_id, certificate_id):
    """Correct a certificate without uploading it again; its products keep their link to it."""
    producer, closed = _open_documents_step(producer_id)
    if closed:
        return closed
    certificate = services.certificate_or_404(producer, certificate_id)
    if request.method == "GET":
        form = CertificateEditForm(obj=_certificate_values(certificate))
        return _render_edit(producer, certificate, form)
    form = CertificateEditForm(formdata=formdata_with_uploads("photo"))
    if not form.validate_on_submit():
        return _render_edit(producer, certificate, form, status=400)
    if conflicts.is_stale(certificate.edit_version, form.edit_version.data):
        return _render_edit(producer, certificate, form, status=409, stale=True)
    values = form.certificate()
    losing = services.stars_lost(certificate, values, form.today)
    if losing and not form.accept_star_loss.data:
        return _render_edit(producer, certificate, form, status=400, losing=True)
    key = store_document_photo(form.photo) if form.new_photo is not None else None
    if form.new_photo is not None and key is None:
        return _render_edit(producer, certificate, form, status=400)
    try:
        old_key = services.update_certificate(producer, certificate, values, key, g.user)
        _commit_with_image(key, [old_key] if old_key else [])
    except StaleDataError:
        db.session.rollback()
        if key:
            services.discard_images([key])
        certificate = services.certificate_or_404(load_producer(producer_id), certificate_id)
        return _render_edit(producer, certificate, form, status=409, stale=True)
    flash(_("The certificate is corrected. Products that show it keep it."), "success")
    return redirect(step_url(producer, rules.DOCUMENTS) + "#certificates")


def _certificate_values(certificate):
    """The saved certificate as the edit form's fields name its values."""
    names = ("decision_no", "issuing_body", "decision_date", "stars", "product_name", "edit_version")
    return SimpleNamespace(product_set=certificate.product_set_code,
                           **{name: getattr(certificate, name) for name in names})


def _render_edit(producer, certificate, form, status=200, losing=False, stale=False):
    typed_date = form.decision_date.data if not form.decision_date.errors else None
    if stale:
        form.edit_version.data = certificate.edit_version
    return render_template(
        "producers/certificate_edit.html", producer=producer, certificate=certificate, form=form,
        product_groups=product_set_choices(), today=form.today, losing=losing, stale=stale,
        products=services.products_of_certificate(certificate.id),
        typed_valid_until=certificate_valid_until(typed_date) if typed_date else None), status


@bp.post("/ho-so/<int:producer_id>/buoc-3/tiep-tuc")
@login_required
def documents_done(producer_id):
    producer, closed = _open_documents_step(producer_id)
    if closed:
        return closed
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.finish_documents(producer)
    db.session.commit()
    return redirect(url_for("producers.step_bank", producer_id=producer.id))
