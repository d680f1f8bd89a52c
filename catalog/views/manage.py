"""Producer side: list, add and edit products, photos, publish/hide, duplicate. Phone-first
HTML forms that work without JavaScript. Officers and helpers of the producer's commune use
the same pages on the producer's behalf; the producer comes from the URL and the permission
from the query, so anything else is a 404."""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from accounts.auth import login_required
from accounts.models import Role
from catalog import images, services
from catalog.views.forms import ProductForm
from catalog.models import MAX_PHOTOS, Product, ProductStatus
from catalog.services import ProductRuleBroken, managed_producer_or_404, managed_product_or_404
from core import conflicts
from core.uploads import chosen_uploads
from extensions import db, limiter
from media.storage import StorageError
from producers.models import Producer

bp = Blueprint("catalog_manage", __name__, url_prefix="/nha-san-xuat")

UPLOAD_LIMIT = "200 per hour"
RULE_MESSAGES = {
    "ref_taken": _l("You already have a product with the reference “%(ref)s”. Please choose another one."),
    "producer_not_verified": _l("Only verified producers can publish. Save the product as a draft; you can "
                                "publish it once the commune has verified your business."),
    "certificate_not_owned": _l("Please choose one of this producer's certificates."),
    "too_many_photos": _l("A product can have at most %(maximum)s photos."),
    "bad_status": _l("Please choose draft, published or hidden."),
}


def rule_message(error: ProductRuleBroken) -> str:
    return str(RULE_MESSAGES[error.code]) % {"ref": error.params.get("ref", ""),
                                             "maximum": error.params.get("maximum", MAX_PHOTOS)}


def _locale():
    return str(get_locale())


@bp.get("/san-pham")
@login_required
def my_products():
    producers = db.session.scalars(services.managed_producers(g.user).order_by(Producer.legal_name).limit(300)).all()
    if len(producers) == 1 and g.user.role == Role.PRODUCER:
        return redirect(url_for("catalog_manage.product_list", producer_id=producers[0].id))
    return render_template("catalog/manage/choose.html", producers=producers)


@bp.get("/<int:producer_id>/san-pham")
@login_required
def product_list(producer_id):
    producer = managed_producer_or_404(g.user, producer_id)
    products = db.session.scalars(db.select(Product).where(Product.producer_id == producer.id)
                                  .options(selectinload(Product.photos), selectinload(Product.certificate))
                                  .order_by(Product.updated_at.desc(), Product.id.desc())).all()
    return render_template("catalog/manage/list.html", producer=producer, products=products,
                           on_behalf=producer.owner_id != g.user.id)


def _new_form(producer, **kwargs):
    return ProductForm(certificates=services.producer_certificates(producer), locale=_locale(), **kwargs)


def _initial_data(product) -> dict:
    return {
        "name": product.name, "product_set_code": product.product_set_code, "certificate_id": product.certificate_id,
        "price": f"{product.price_vnd:,}".replace(",", ".") if product.price_vnd is not None else "",
        "unit": product.unit, "weight": f"{product.weight_g:,}".replace(",", ".") if product.weight_g else "",
        "description": product.description, "availability": product.availability,
        "season_months": product.months, "harvest_season": product.harvest_season, "ref": product.ref,
        "status": product.status, "edit_version": product.edit_version,
    }


# The form's fields compared when a save arrives from an older version of the product.
CONFLICT_FIELDS = ("name", "product_set_code", "certificate_id", "price", "unit", "weight", "description",
                   "availability", "season_months", "harvest_season", "ref", "status")


def _conflicting(producer, product, form):
    """What differs between the product as saved now and the stale form (empty: nothing would be lost)."""
    theirs = _new_form(producer, formdata=None, data=_initial_data(product))
    return conflicts.differences(theirs, form, CONFLICT_FIELDS)


def _render_conflict(producer, product, form, rows):
    """409: the user's entries stay in the form, which now carries the current version."""
    form.edit_version.data = product.edit_version
    return render_template("catalog/manage/form.html", producer=producer, form=form, product=product,
                           max_photos=MAX_PHOTOS, verified=producer.is_public, conflict_rows=rows,
                           conflict_title=conflicts.CONFLICT_TITLE,
                           conflict_message=conflicts.CONFLICT_MESSAGE), 409


def _photos_from(form):
    """Process the form's chosen photos. Returns (processed uploads, None) or (None, error text)."""
    files = chosen_uploads(form.photos.name)
    return _process(files, MAX_PHOTOS)


def _process(files, slots_left):
    if len(files) > slots_left:
        return None, (_("A product can have at most %(maximum)s photos; you can add %(count)s more.",
                        maximum=MAX_PHOTOS, count=max(slots_left, 0)))
    uploads, problems = images.process_files(files)
    if problems:
        return None, " ".join(f"{problem.filename}: {problem.message}" for problem in problems)
    return uploads, None


def _save(uploads):
    """Write processed photos to disk. Returns (stored images, None) or (None, error text)."""
    try:
        return images.save_files(uploads), None
    except StorageError as error:
        return None, images.storage_failure_message(error)


def _render_form(producer, form, product=None, status=200):
    return render_template("catalog/manage/form.html", producer=producer, form=form, product=product,
                           max_photos=MAX_PHOTOS, verified=producer.is_public), status


@bp.route("/<int:producer_id>/san-pham/moi", methods=["GET", "POST"])
@login_required
@limiter.limit(UPLOAD_LIMIT, methods=["POST"])
def product_new(producer_id):
    producer = managed_producer_or_404(g.user, producer_id)
    form = _new_form(producer)
    if not form.validate_on_submit():
        return _render_form(producer, form, status=400 if request.method == "POST" else 200)
    uploads, problem = _photos_from(form)
    if problem:
        form.photos.errors = [problem]
        return _render_form(producer, form, status=400)
    stored, problem = _save(uploads)
    if problem:
        form.photos.errors = [problem]
        return _render_form(producer, form, status=503)
    keys = [image.key for image in stored]
    try:
        product = _create_with_free_ref(producer, form, stored)
    except ProductRuleBroken as error:
        db.session.rollback()
        images.discard(keys)
        _attach_rule_error(form, error)
        return _render_form(producer, form, status=400)
    images.commit_or_discard(keys)
    flash(_("The product “%(name)s” was saved.", name=product.name), "success")
    return redirect(url_for("catalog_manage.product_edit", producer_id=producer.id, product_id=product.id))


REF_TRIES = 3


def _create_with_free_ref(producer, form, stored):
    """Create the product with its photos. Two saves for one producer at once (two phones, or a
    slow upload beside a quick one) may pick the same next reference; the later insert then
    meets the unique constraint once the first commits (bench/bench_load.py L4 found it). An
    automatic reference moves on to the next free one; a typed one is the person's to change."""
    for attempt in range(REF_TRIES):
        try:
            product = services.create_product(producer, form.values(), g.user, status=form.status.data)
            services.add_photos(product, stored, g.user)
            return product
        except IntegrityError:
            db.session.rollback()
            if form.ref.data:
                raise ProductRuleBroken("ref_taken", ref=form.ref.data) from None
            if attempt == REF_TRIES - 1:
                raise


def _attach_rule_error(form, error):
    field = {"ref_taken": form.ref, "producer_not_verified": form.status, "certificate_not_owned": form.certificate_id,
             "too_many_photos": form.photos, "bad_status": form.status}[error.code]
    field.errors = list(field.errors or []) + [rule_message(error)]


@bp.route("/<int:producer_id>/san-pham/<int:product_id>", methods=["GET", "POST"])
@login_required
@limiter.limit(UPLOAD_LIMIT, methods=["POST"])
def product_edit(producer_id, product_id):
    producer = managed_producer_or_404(g.user, producer_id)
    product = managed_product_or_404(producer, product_id)
    form = _new_form(producer, data=None if request.method == "POST" else _initial_data(product))
    if not form.validate_on_submit():
        if request.method == "POST":
            form.edit_version.data = form.edit_version.data or product.edit_version
        return _render_form(producer, form, product, status=400 if request.method == "POST" else 200)
    if conflicts.is_stale(product.edit_version, form.edit_version.data):
        rows = _conflicting(producer, product, form)
        if rows:
            return _render_conflict(producer, product, form, rows)
    files = chosen_uploads(form.photos.name)
    uploads, problem = _process(files, services.photo_slots_left(product))
    if problem:
        form.photos.errors = [problem]
        return _render_form(producer, form, product, status=400)
    stored, problem = _save(uploads)
    if problem:
        form.photos.errors = [problem]
        return _render_form(producer, form, product, status=503)
    keys = [image.key for image in stored]
    try:
        services.update_product(product, form.values(), g.user, status=form.status.data)
        services.add_photos(product, stored, g.user)
        images.commit_or_discard(keys)
    except ProductRuleBroken as error:
        db.session.rollback()
        images.discard(keys)
        product = managed_product_or_404(producer, product_id)
        _attach_rule_error(form, error)
        return _render_form(producer, form, product, status=400)
    except StaleDataError:
        # Another save won the race between our check and our write.
        db.session.rollback()
        images.discard(keys)
        product = managed_product_or_404(producer, product_id)
        return _render_conflict(producer, product, form, _conflicting(producer, product, form))
    flash(_("Your changes were saved."), "success")
    return redirect(url_for("catalog_manage.product_edit", producer_id=producer.id, product_id=product.id))


def _back_to_photos(producer, product):
    return redirect(url_for("catalog_manage.product_edit", producer_id=producer.id, product_id=product.id) + "#anh")


@bp.post("/<int:producer_id>/san-pham/<int:product_id>/anh")
@login_required
@limiter.limit(UPLOAD_LIMIT)
def photo_upload(producer_id, product_id):
    producer = managed_producer_or_404(g.user, producer_id)
    product = managed_product_or_404(producer, product_id)
    files = chosen_uploads("photos")
    if not files:
        flash(_("Please choose a photo first."), "error")
        return _back_to_photos(producer, product)
    uploads, problem = _process(files, services.photo_slots_left(product))
    stored = None
    if not problem:
        stored, problem = _save(uploads)
    if problem:
        flash(problem, "error")
        return _back_to_photos(producer, product)
    keys = [image.key for image in stored]
    services.add_photos(product, stored, g.user)
    images.commit_or_discard(keys)
    flash(_("Photos added: %(count)s.", count=len(stored)), "success")
    return _back_to_photos(producer, product)


@bp.post("/<int:producer_id>/san-pham/<int:product_id>/anh/<int:photo_id>/<action>")
@login_required
def photo_action(producer_id, product_id, photo_id, action):
    producer = managed_producer_or_404(g.user, producer_id)
    product = managed_product_or_404(producer, product_id)
    if action not in ("xoa", "len", "xuong", "bia") or not any(photo.id == photo_id for photo in product.photos):
        abort(404)
    if action == "xoa":
        key = services.remove_photo(product, photo_id, g.user)
        db.session.commit()
        images.delete_unreferenced([key])
        flash(_("The photo was deleted."), "success")
    elif action == "bia":
        services.make_cover(product, photo_id, g.user)
        db.session.commit()
        flash(_("This photo is now the cover."), "success")
    else:
        services.move_photo(product, photo_id, -1 if action == "len" else 1, g.user)
        db.session.commit()
    return _back_to_photos(producer, product)


@bp.post("/<int:producer_id>/san-pham/<int:product_id>/trang-thai")
@login_required
def product_status(producer_id, product_id):
    producer = managed_producer_or_404(g.user, producer_id)
    product = managed_product_or_404(producer, product_id)
    status = request.form.get("status", "")
    try:
        changed = services.set_status(product, status, g.user)
    except ProductRuleBroken as error:
        db.session.rollback()
        flash(rule_message(error), "error")
        return redirect(url_for("catalog_manage.product_edit", producer_id=producer.id, product_id=product.id))
    db.session.commit()
    if changed:
        flash({ProductStatus.PUBLISHED: _("Published: buyers can now see this product."),
               ProductStatus.HIDDEN: _("Hidden: buyers no longer see this product."),
               ProductStatus.DRAFT: _("Back to draft.")}[status], "success")
    return redirect(url_for("catalog_manage.product_edit", producer_id=producer.id, product_id=product.id))


@bp.post("/<int:producer_id>/san-pham/<int:product_id>/nhan-ban")
@login_required
def product_duplicate(producer_id, product_id):
    producer = managed_producer_or_404(g.user, producer_id)
    product = managed_product_or_404(producer, product_id)
    new_keys = []

    def copy_image(key):
        new_key = images.copy_image(key)
        new_keys.append(new_key)
        return new_key

    try:
        copy, _keys = services.duplicate_product(product, g.user, copy_image)
    except StorageError as error:
        db.session.rollback()
        images.discard(new_keys)
        flash(images.storage_failure_message(error), "error")
        return redirect(url_for("catalog_manage.product_edit", producer_id=producer.id, product_id=product.id))
    images.commit_or_discard(new_keys)
    flash(_("A copy was made as a draft with the reference %(ref)s. Change what differs and publish it.",
            ref=copy.ref), "success")
    return redirect(url_for("catalog_manage.product_edit", producer_id=producer.id, product_id=copy.id))
