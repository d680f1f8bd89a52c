"""What the search index holds for a product: public text only.

A product is indexed when buyers may see it (published, verified producer).
The document carries its name; as context the producer's name, commune,
province under today's name and every former name now inside it (Bắc Kạn for
Thái Nguyên), unit and description; the OCOP group and product-set names as a
weak category; and facet values. Never bank details, phone numbers,
representatives, tax codes, addresses, drafts or unverified producers.

``build_document`` works on plain values (the relevance suite uses it);
``row_document`` turns a row of ``public_rows_query`` into a document: full
builds, catch-ups and the content check all use it.
"""
from datetime import date
from functools import lru_cache

from places.units import commune as find_commune
from places.units import former_province_names, province as find_province
from search.records import IndexDocument
from search.facets import GROUP_NAMES_VI, GROUP_SLUGS

PUBLISHED, VERIFIED = "published", "verified"


@lru_cache(maxsize=4096)
def place_names(province_code=None, commune_code=None) -> tuple:
    """Commune, province (today's name) and the provinces merged into it."""
    names = []
    commune = find_commune(commune_code) if commune_code else None
    if commune is not None:
        names.append(commune.short_name)
    province = find_province(province_code) if province_code else None
    if province is not None:
        names.append(province.short_name)
        names.extend(former_province_names(province.code))
    return tuple(names)


def build_document(*, id, name, description="", producer="", province_code=None,
                   commune_code=None, product_set=None, group=None, unit="", slug="",
                   stars=0, valid_until=None, producer_id=0) -> IndexDocument:
    """``product_set`` is a ``producers.ocop.ProductSet`` (or None with a group slug)."""
    if product_set is not None:
        group = group or GROUP_SLUGS.get(product_set.group_code)
        category = [product_set.group_vi, product_set.name_vi]
    else:
        category = [GROUP_NAMES_VI[group]] if group in GROUP_NAMES_VI else []
    context = [producer or "", unit or "", description or ""]
    return IndexDocument(
        id=str(id), name=name or "", slug=slug or "", producer_id=int(producer_id or 0),
        places=" \n".join(place_names(province_code, commune_code)),
        context=" \n".join(part for part in context if part),
        category=" \n".join(category), group=group or "",
        province=int(province_code or 0), stars=int(stars or 0),
        valid_until=valid_until.toordinal() if isinstance(valid_until, date) else int(valid_until or 0),
    )


def public_rows_query():
    """Core SELECT of everything the index needs about public products: a full
    build reads plain rows, not ORM objects (several times faster at 100,000)."""
    from catalog.models import Product
    from producers.models import Certificate, Producer
    from sqlalchemy import select

    return (select(Product.id, Product.name, Product.slug, Product.description, Product.unit,
                   Product.product_set_code, Product.producer_id, Producer.legal_name, Producer.province_code,
                   Producer.commune_code, Certificate.stars, Certificate.decision_date)
            .join(Producer, Producer.id == Product.producer_id)
            .outerjoin(Certificate, Certificate.id == Product.certificate_id)
            .where(Product.status == PUBLISHED, Producer.status == VERIFIED)
            .order_by(Product.id))


def row_document(row) -> IndexDocument:
    """The index document for one row of ``public_rows_query``."""
    from producers.ocop import certificate_valid_until, product_set

    return build_document(
        id=row.id, name=row.name, description=row.description, producer=row.legal_name,
        producer_id=row.producer_id, province_code=row.province_code, commune_code=row.commune_code,
        product_set=product_set(row.product_set_code), unit=row.unit, slug=row.slug, stars=row.stars or 0,
        valid_until=certificate_valid_until(row.decision_date) if row.decision_date else None,
    )
