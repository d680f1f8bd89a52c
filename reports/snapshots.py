"""Daily snapshots of the stock figures, per commune (the trend of "how many are online")."""
from __future__ import annotations

from datetime import date

from sqlalchemy import and_, case, delete, func, select

from catalog.models import Product, ProductPhoto, ProductStatus
from catalog.certificates import earliest_valid_decision_date
from extensions import db
from producers.models import Certificate, Producer, ProducerStatus
from reports.models import FigureSnapshot
from reports.constants import AreaKind


def take(day: date) -> int:
    """Write (or rewrite) the day's figures for every commune; returns the rows written."""
    bound = earliest_valid_decision_date(day)
    valid = and_(Certificate.id.is_not(None), Certificate.decision_date >= bound)
    public = and_(Product.status == ProductStatus.PUBLISHED, Producer.status == ProducerStatus.VERIFIED)
    has_photo = select(ProductPhoto.id).where(ProductPhoto.product_id == Product.id).exists()
    online = and_(public, valid, Product.price_vnd > 0, has_photo)
    products = db.session.execute(
        select(Producer.province_code, Producer.commune_code, func.sum(case((public, 1), else_=0)),
               func.sum(case((valid, 1), else_=0)), func.sum(case((online, 1), else_=0)))
        .select_from(Product).join(Producer, Producer.id == Product.producer_id)
        .outerjoin(Certificate, Certificate.id == Product.certificate_id)
        .group_by(Producer.province_code, Producer.commune_code))
    verified = db.session.execute(
        select(Producer.province_code, Producer.commune_code, func.count(Producer.id))
        .where(Producer.status == ProducerStatus.VERIFIED)
        .group_by(Producer.province_code, Producer.commune_code))
    values = {}
    for province, commune, public_count, certified, online_count in products:
        values[(province, commune, "products_public")] = int(public_count or 0)
        values[(province, commune, "products_certified")] = int(certified or 0)
        values[(province, commune, "products_online")] = int(online_count or 0)
    for province, commune, count in verified:
        values[(province, commune, "producers_verified")] = int(count)
    for province, commune, marketplace, count in _exported_per_commune():
        values[(province, commune, f"exported_{marketplace}")] = int(count)
    db.session.execute(delete(FigureSnapshot).where(FigureSnapshot.day == day))
    db.session.add_all(FigureSnapshot(day=day, province_code=province, commune_code=commune, name=name, value=value)
                       for (province, commune, name), value in values.items())
    return len(values)


def _exported_per_commune():
    from catalog.models import ProductExport

    return db.session.execute(
        select(Producer.province_code, Producer.commune_code, ProductExport.marketplace, func.count(ProductExport.id))
        .select_from(ProductExport).join(Product, Product.id == ProductExport.product_id)
        .join(Producer, Producer.id == Product.producer_id)
        .group_by(Producer.province_code, Producer.commune_code, ProductExport.marketplace))


def _area_filter(area):
    if area.kind == AreaKind.COMMUNES:
        return FigureSnapshot.commune_code.in_(area.codes) if area.codes else db.false()
    if area.kind == AreaKind.PROVINCE:
        return FigureSnapshot.province_code == area.codes[0]
    return db.true()


def stock_before(area, day: date) -> dict:
    """{name: value} summed over the area from the last snapshot taken before ``day``."""
    latest = db.session.scalar(select(func.max(FigureSnapshot.day))
                               .where(FigureSnapshot.day < day, _area_filter(area)))
    if latest is None:
        return {}
    rows = db.session.execute(select(FigureSnapshot.name, func.sum(FigureSnapshot.value))
                              .where(FigureSnapshot.day == latest, _area_filter(area))
                              .group_by(FigureSnapshot.name))
    return {name: int(total or 0) for name, total in rows}
