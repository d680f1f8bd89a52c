"""Product operations for producers and for the officers and helpers who act for them.

Services change the session and never commit (views commit once). Who may manage which
producer is decided in the query (`managed_producers`), so another commune's producer or
product is simply not found (404). Every change is written to the producer's audit log with
the acting user, so help given on someone's behalf stays visible.
"""
from __future__ import annotations

from flask import abort

from accounts.models import Role
from core.clock import utcnow
from catalog.models import MAX_PHOTOS, Availability, Product, ProductPhoto, ProductStatus
from catalog.queries import MAX_ID
from catalog.rules import months_text, next_ref, product_slug, ref_with_suffix
from extensions import db
from producers import audit
from producers.models import Certificate, Producer, ProducerStatus

# Fields a product form may set; everything else (producer, status, timestamps) is set here.
EDITABLE_FIELDS = ("name", "product_set_code", "certificate_id", "description", "price_vnd", "unit", "weight_g",
                   "availability", "season_months", "harvest_season", "ref")
AUDITED_FIELDS = EDITABLE_FIELDS + ("status",)


class ProductRuleBroken(Exception):
    """A rule of the catalogue stops this change. `code` names it for the message."""

    def __init__(self, code: str, **params):
        self.code, self.params = code, params
        super().__init__(code)


def managed_producers(user):
    """Select the producers `user` may manage: their own; also their communes' for officers
    and helpers (as producers.services.producer_query); all for admins."""
    query = db.select(Producer)
    if user is None:
        return query.where(db.false())
    if user.role == Role.ADMIN:
        return query
    if user.works_for_communes:
        return query.where(db.or_(Producer.owner_id == user.id, Producer.commune_code.in_(user.commune_codes or [-1])))
    return query.where(Producer.owner_id == user.id)


def managed_producer_or_404(user, producer_id):
    if not 0 < producer_id <= MAX_ID:
        abort(404)
    return db.first_or_404(managed_producers(user).where(Producer.id == producer_id))


def managed_product_or_404(producer, product_id):
    if not 0 < product_id <= MAX_ID:
        abort(404)
    return db.first_or_404(db.select(Product).where(Product.id == product_id, Product.producer_id == producer.id))


def producer_certificates(producer):
    return db.session.scalars(db.select(Certificate).where(Certificate.producer_id == producer.id)
                              .order_by(Certificate.decision_date.desc())).all()


def ref_taken(producer, ref, exclude_product_id=None) -> bool:
    query = db.select(Product.id).where(Product.producer_id == producer.id, db.func.upper(Product.ref) == ref.upper())
    if exclude_product_id is not None:
        query = query.where(Product.id != exclude_product_id)
    return db.session.scalar(query.limit(1)) is not None


def _producer_refs(producer):
    return db.session.scalars(db.select(Product.ref).where(Product.producer_id == producer.id)).all()


def _snapshot(product) -> dict:
    return {field: getattr(product, field) for field in AUDITED_FIELDS}


def _apply(product, producer, values):
    for field in EDITABLE_FIELDS:
        if field in values:
            setattr(product, field, values[field])
    if product.availability != Availability.SEASONAL:
        product.season_months = ""
    else:
        product.season_months = months_text(str(product.season_months or "").split(","))
    if product.certificate_id is not None:
        owned = db.session.scalar(db.select(Certificate.id).where(
            Certificate.id == product.certificate_id, Certificate.producer_id == producer.id))
        if owned is None:
            raise ProductRuleBroken("certificate_not_owned")
    if not product.ref:
        product.ref = next_ref(_producer_refs(producer))
    elif ref_taken(producer, product.ref, exclude_product_id=product.id):
        raise ProductRuleBroken("ref_taken", ref=product.ref)
    product.slug = product_slug(product.name)


def _check_status(producer, status):
    if status not in tuple(ProductStatus):
        raise ProductRuleBroken("bad_status")
    if status == ProductStatus.PUBLISHED and producer.status != ProducerStatus.VERIFIED:
        raise ProductRuleBroken("producer_not_verified")


def create_product(producer, values, actor, status=ProductStatus.DRAFT):
    """A new product for `producer` from cleaned form values (see EDITABLE_FIELDS)."""
    _check_status(producer, status)
    product = Product(producer_id=producer.id, producer=producer, status=status, created_by_id=actor.id,
                      updated_by_id=actor.id)
    with db.session.no_autoflush:
        _apply(product, producer, values)
    db.session.add(product)
    db.session.flush()
    audit.record("product_created", producer, {"product_id": product.id, "ref": product.ref,
                                                "name": product.name, "status": product.status}, actor=actor)
    return product


def update_product(product, values, actor, status=None):
    producer = product.producer
    before = _snapshot(product)
    if status is not None and status != product.status:
        _check_status(producer, status)
        product.status = status
    with db.session.no_autoflush:
        _apply(product, producer, values)
    changes = audit.diff(before, _snapshot(product))
    if changes:
        product.updated_by_id = actor.id
        product.updated_at = utcnow()
        audit.record("product_updated", producer, {"product_id": product.id, "ref": product.ref, **changes},
                     actor=actor)
    db.session.flush()
    return changes


def set_status(product, status, actor):
    """Publish, hide or return to draft. Only verified producers publish."""
    _check_status(product.producer, status)
    if status == product.status:
        return False
    before = product.status
    product.status = status
    product.updated_by_id = actor.id
    product.updated_at = utcnow()
    audit.record("product_status_changed", product.producer, {
        "product_id": product.id, "ref": product.ref, "status": {"from": before, "to": status}}, actor=actor)
    db.session.flush()
    return True


def duplicate_product(product, actor, copy_image):
    """A draft copy with the next free reference ('REF-2') and its own copies of the photos.

    `copy_image(key) -> new key` writes the files (catalog.images.copy_image); the new keys are
    returned so the caller can delete them if the commit fails."""
    producer = product.producer
    copy = Product(producer_id=producer.id, producer=producer, status=ProductStatus.DRAFT,
                   created_by_id=actor.id, updated_by_id=actor.id)
    for field in EDITABLE_FIELDS:
        setattr(copy, field, getattr(product, field))
    copy.ref = ref_with_suffix(product.ref, _producer_refs(producer))
    copy.slug = product.slug or product_slug(product.name)
    new_keys = []
    for photo in product.photos:
        key = copy_image(photo.image_key)
        new_keys.append(key)
        copy.photos.append(ProductPhoto(image_key=key, position=photo.position, width=photo.width,
                                        height=photo.height))
    db.session.add(copy)
    db.session.flush()
    audit.record("product_duplicated", producer, {"product_id": copy.id, "ref": copy.ref,
                                                   "copied_from": {"product_id": product.id, "ref": product.ref}},
                 actor=actor)
    return copy, new_keys


def photo_slots_left(product) -> int:
    return MAX_PHOTOS - len(product.photos)


def add_photos(product, stored_images, actor):
    """Rows for images already written to disk (catalog.images.save_files), after the others."""
    if len(stored_images) > photo_slots_left(product):
        raise ProductRuleBroken("too_many_photos", maximum=MAX_PHOTOS)
    start = len(product.photos)
    for offset, image in enumerate(stored_images):
        product.photos.append(ProductPhoto(image_key=image.key, position=start + offset, width=image.width,
                                           height=image.height))
    _renumber(product)
    product.updated_at = utcnow()
    product.updated_by_id = actor.id
    if stored_images:
        audit.record("product_photos_changed", product.producer, {
            "product_id": product.id, "ref": product.ref, "added": len(stored_images)}, actor=actor)
    db.session.flush()


def _renumber(product):
    for position, photo in enumerate(sorted(product.photos, key=lambda p: (p.position, p.id or 0))):
        photo.position = position
    product.photos.sort(key=lambda p: p.position)


def _photo(product, photo_id):
    for photo in product.photos:
        if photo.id == photo_id:
            return photo
    return None


def remove_photo(product, photo_id, actor):
    """Remove one photo row; returns its image key (delete the files after the commit)."""
    photo = _photo(product, photo_id)
    if photo is None:
        return None
    key = photo.image_key
    product.photos.remove(photo)
    _renumber(product)
    product.updated_at = utcnow()
    product.updated_by_id = actor.id
    audit.record("product_photos_changed", product.producer, {
        "product_id": product.id, "ref": product.ref, "removed": 1}, actor=actor)
    db.session.flush()
    return key


def move_photo(product, photo_id, step, actor):
    """Move a photo one place earlier (step -1) or later (+1); position 0 is the cover."""
    ordered = list(product.photos)
    photo = _photo(product, photo_id)
    if photo is None:
        return False
    index = ordered.index(photo)
    target = index + step
    if not 0 <= target < len(ordered):
        return False
    ordered[index], ordered[target] = ordered[target], ordered[index]
    _save_order(product, ordered, actor)
    return True


def make_cover(product, photo_id, actor):
    ordered = list(product.photos)
    photo = _photo(product, photo_id)
    if photo is None or ordered[0] is photo:
        return False
    ordered.remove(photo)
    _save_order(product, [photo] + ordered, actor)
    return True


def _save_order(product, ordered, actor):
    for position, photo in enumerate(ordered):
        photo.position = position
    product.photos.sort(key=lambda p: p.position)
    product.updated_at = utcnow()
    product.updated_by_id = actor.id
    audit.record("product_photos_changed", product.producer, {
        "product_id": product.id, "ref": product.ref, "order": [p.id for p in ordered]}, actor=actor)
    db.session.flush()
