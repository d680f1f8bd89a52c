"""TikTok Shop and Lazada sheets against their published limits and fields.

Sources (docs/MARKETPLACES.md): TikTok Shop Seller Center batch-upload templates
(Tiktoksellercenter_batchupload_20230415/20241113_template.xlsx: Category mandatory, Product Name
mandatory and fewer than 255 characters, Product Description mandatory, Main Product Image
mandatory, Product Image 2–9) and TikTok Shop Partner API 202309 CreateProduct (title 25–255,
description ≤ 10,000, price 1–180,000,000 VND, seller_sku ≤ 50); Lazada Open Platform
CreateProduct (name ≤ 255, description ≤ 25,000, ≤ 8 images, package weight in kg, two decimals).
"""
import io
from dataclasses import replace
from datetime import date

from openpyxl import load_workbook

from catalog.exporters import EXPORTERS
from catalog.exporters.samples import sample_listing

JUNE = date(2025, 6, 15)


def listing(number=1, **changes):
    return replace(sample_listing(number), **changes)


def export(format_name, listings, **options):
    out = io.BytesIO()
    report = EXPORTERS[format_name].write(listings, out, today=JUNE, **options)
    rows = list(load_workbook(io.BytesIO(out.getvalue())).active.iter_rows(values_only=True))
    return [dict(zip(rows[0], row)) for row in rows[1:]], report


def test_tiktok_cuts_to_its_limits_and_reports_each_cut():
    images = tuple(f"https://choque.vn/anh/{n}.jpg" for n in range(12))
    long = listing(1, name="Mật ong hoa cà phê nguyên chất Tây Nguyên " * 8, description="Ngọt. " * 3000,
                   image_urls=images)
    (row,), report = export("tiktok-xlsx", [long], category_ids={4: "600001"})
    assert len(row["title"]) < 255 and len(row["description"]) <= 10_000
    assert row["main_image_9"] == images[8] and row["category_id"] == "600001"
    assert {p.code for p in report.warnings[0].problems} == {"title_truncated", "description_truncated",
                                                              "images_limited"}


def test_tiktok_leaves_out_what_it_would_refuse():
    tiktok = EXPORTERS["tiktok-xlsx"]
    assert "title_too_short" in [p.code for p in tiktok.validate(listing(1, name="Mật ong"))]
    assert "price_out_of_range" in [p.code for p in tiktok.validate(listing(1, price_vnd=180_000_001))]
    assert "image_missing" in [p.code for p in tiktok.validate(listing(1, image_urls=()))]
    assert "description_missing" in [p.code for p in tiktok.validate(listing(1, description=""))]


def test_lazada_cuts_images_to_eight_and_maps_the_category():
    images = tuple(f"https://choque.vn/anh/{n}.jpg" for n in range(10))
    (row,), report = export("lazada-xlsx", [listing(1, image_urls=images)], category_ids={4: 10001234})
    assert row["PrimaryCategory"] == 10001234 and row["image_8"] == images[7] and "image_9" not in row
    assert [p.code for p in report.warnings[0].problems] == ["images_limited"]


def test_missing_category_ids_are_noticed_once_per_set_for_each_marketplace():
    for format_name in ("tiktok-xlsx", "lazada-xlsx"):
        rows, report = export(format_name, [listing(1), listing(13)])
        assert [row[next(iter(row))] for row in rows]  # both exported
        assert [(n.code, n.params["set"]) for n in report.notices] == [("category_unmapped", 4)]
