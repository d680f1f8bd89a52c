"""How products and producers appear on pages and in the API: URLs, place names, contact
links, image sources. Registered as Jinja globals so every template (search results too)
links to products the same way."""
from __future__ import annotations


from flask import url_for

from accounts.phones import display_phone
from core.urls import absolute
from catalog import images
from catalog.constants import STATUS_LABELS, Availability, ProductStatus
from catalog.rules import tel_url, zalo_url
from catalog.texts import label
from catalog.urls import producer_path, product_path
from places import units



def province_name(code) -> str:
    found = units.province(code) if code is not None else None
    return found.short_name if found else ""


def commune_name(code) -> str:
    found = units.commune(code) if code is not None else None
    return found.name if found else ""


def place_line(producer) -> str:
    return ", ".join(part for part in (commune_name(producer.commune_code), province_name(producer.province_code))
                     if part)


def contact_links(producer) -> dict:
    phone = producer.phone or ""
    zalo = producer.zalo or phone
    return {"tel": tel_url(phone), "phone": display_phone(phone), "zalo": zalo_url(zalo)}


def photo_src(photo, width=480) -> str:
    return images.image_url(photo.image_key, width)


def photo_srcset(photo, widths=images.WIDTHS) -> str:
    return images.srcset(photo.image_key, widths)


def share_image_url(photo) -> str:
    """Absolute URL of the 1200×630 JPEG a chat app shows beside a shared link."""
    if photo is None:
        return absolute(url_for("static", filename="img/share-default.jpg"))
    return absolute(url_for("catalog.share_image", key=photo.image_key))


def product_status_label(status) -> str:
    return label(STATUS_LABELS, status)


def init_app(app):
    app.add_template_global(product_path, "product_url")
    app.add_template_global(producer_path, "producer_url")
    app.add_template_global(province_name)
    app.add_template_global(commune_name)
    app.add_template_global(place_line)
    app.add_template_global(contact_links)
    app.add_template_global(photo_src)
    app.add_template_global(photo_srcset)
    app.add_template_global(share_image_url)
    app.add_template_global(product_status_label)
    app.add_template_global(Availability)
    app.add_template_global(ProductStatus)
    app.add_template_global(images.CARD_SIZES, "card_sizes")
    app.add_template_global(images.GALLERY_SIZES, "gallery_sizes")
    app.add_template_global(images.THUMBNAIL_WIDTHS, "thumbnail_widths")
